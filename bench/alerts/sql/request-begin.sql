-- What incidentd sends first for one POST /api/v1/alerts with an API key, once the key is
-- checked from its in-process cache (no api_keys SELECT): TransactionRunner's deferred BEGIN
-- and the trigger statement (trigger-cte-named.sql) in ONE pipeline, i.e. one round trip
-- (PostgresConnection+Pipeline.swift). Closed by request-commit.sql.
\startpipeline
BEGIN;
