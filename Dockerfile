# Multi-stage build: Swift 6.3 toolchain to build, slim Debian to run.
# (No Docker engine runs on the development machines; this file is kept simple and is the
# same build the README's commands do by hand.)
FROM swift:6.3-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libssl-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Plugins ./Plugins
# Built into the binary (Plugins/EmbedOpenAPI): served at /openapi.yaml and /openapi.json.
COPY docs/openapi.yaml ./docs/openapi.yaml
COPY Tests ./Tests
RUN swift build -c release --product incidentd --static-swift-stdlib \
    && install -D .build/release/incidentd /out/incidentd

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libssl3 zlib1g ca-certificates tzdata \
       postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/incidentd --create-home incidentd
COPY --from=builder /out/incidentd /usr/local/bin/incidentd
COPY migrations /usr/local/share/incidentd/migrations
ENV INCIDENTD_MIGRATIONS_DIR=/usr/local/share/incidentd/migrations \
    INCIDENTD_DATA_DIR=/var/lib/incidentd \
    PORT=8080
USER incidentd
WORKDIR /var/lib/incidentd
EXPOSE 8080
# Set DATABASE_URL to use an existing PostgreSQL; without it, incidentd runs its own
# embedded cluster under /var/lib/incidentd (mount a volume there to keep it).
ENTRYPOINT ["/usr/local/bin/incidentd"]
CMD ["serve"]
