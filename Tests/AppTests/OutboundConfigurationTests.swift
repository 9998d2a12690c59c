import App
import Foundation
import Notifications
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The outbound configuration (`INCIDENTD_CA_FILE`, `INCIDENTD_OUTBOUND_ALLOW`,
/// `INCIDENTD_SMTP_URL`, timeouts, lease): what is unusable stops the start-up with a message
/// naming the variable; the transport it makes maps the clients' errors for the workers.
@Suite struct OutboundConfigurationTests {
    static func configuration(_ environment: [String: String]) throws -> Configuration {
        var configuration = Configuration()
        try configuration.apply(environment: environment)
        return configuration
    }

    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func unusableSettingsAreRefusedWithAMessageNamingThem() throws {
        let allow = Self.message {
            _ = try Self.configuration(["INCIDENTD_OUTBOUND_ALLOW": "127.0.0.0/8, 10.0.0.0/33"])
        }
        #expect(allow.contains("INCIDENTD_OUTBOUND_ALLOW") && allow.contains("10.0.0.0/33"), "\(allow)")
        let missing = Self.message {
            _ = try Self.configuration(["INCIDENTD_CA_FILE": "/nonexistent/ca.pem"]).makeDeliveryTransport()
        }
        #expect(
            missing.contains("INCIDENTD_CA_FILE") && missing.contains("/nonexistent/ca.pem"), "\(missing)")
        let garbage = NSTemporaryDirectory() + "not-a-ca-\(UUID().uuidString).pem"
        try "not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        let unreadable = Self.message {
            _ = try Self.configuration(["INCIDENTD_CA_FILE": garbage]).makeDeliveryTransport()
        }
        #expect(
            unreadable.contains("INCIDENTD_CA_FILE") && unreadable.contains("cannot load CA file"),
            "\(unreadable)")
        let smtp = Self.message {
            _ = try Self.configuration(["INCIDENTD_SMTP_URL": "ftp://mailer:s3cret@mail.example.com"])
                .makeDeliveryTransport()
        }
        #expect(smtp.contains("INCIDENTD_SMTP_URL") && !smtp.contains("s3cret"), "\(smtp)")
        let from = Self.message {
            _ = try Self.configuration([
                "INCIDENTD_SMTP_URL": "smtp://mail.example.com", "INCIDENTD_SMTP_FROM": "not an address",
            ]).makeDeliveryTransport()
        }
        #expect(from.contains("INCIDENTD_SMTP_FROM"), "\(from)")
        let backoff = Self.message { _ = try Self.configuration(["INCIDENTD_DELIVERY_BACKOFF": "5s,soon"]) }
        #expect(backoff.contains("INCIDENTD_DELIVERY_BACKOFF"), "\(backoff)")
        let timeout = Self.message { _ = try Self.configuration(["INCIDENTD_HTTP_TIMEOUT": "0"]) }
        #expect(timeout.contains("INCIDENTD_HTTP_TIMEOUT"), "\(timeout)")
    }

    @Test func theLeaseMustOutlastTheLongestSend() throws {
        let defaults = try Self.configuration([:])
        let plain = try defaults.deliverySettings(for: try defaults.makeDeliveryTransport())
        #expect(plain.sendTimeout == 12 && plain.lease == 60)
        let mail = try Self.configuration(["INCIDENTD_SMTP_URL": "smtp://mail.example.com:587"])
        #expect(try mail.deliverySettings(for: try mail.makeDeliveryTransport()).sendTimeout == 32)
        let short = try Self.configuration(["INCIDENTD_DELIVERY_LEASE": "10s"])
        let refused = Self.message { _ = try short.deliverySettings(for: try short.makeDeliveryTransport()) }
        #expect(refused.contains("INCIDENTD_DELIVERY_LEASE") && refused.contains("12s"), "\(refused)")
        let quick = try Self.configuration(["INCIDENTD_DELIVERY_LEASE": "5s", "INCIDENTD_HTTP_TIMEOUT": "2s"])
        #expect(try quick.deliverySettings(for: try quick.makeDeliveryTransport()).sendTimeout == 4)
    }

    @Test func theTransportMapsTheClientsErrorsForTheWorkers() throws {
        let closedPort = try ClosedPort()
        defer { withExtendedLifetime(closedPort) {} }
        let closed = closedPort.port
        let guarded = try Self.configuration(["INCIDENTD_SMTP_URL": "smtp://127.0.0.1:\(closed)"])
            .makeDeliveryTransport()
        let allowed = try Self.configuration([
            "INCIDENTD_OUTBOUND_ALLOW": "127.0.0.0/8", "INCIDENTD_SMTP_URL": "smtp://127.0.0.1:\(closed)",
        ]).makeDeliveryTransport()
        let unconfigured = try Self.configuration([:]).makeDeliveryTransport()
        let request = WebhookRequest(url: "http://127.0.0.1:\(closed)/hook", headers: [], body: [])
        let mail = EmailMessage(
            from: "incidentd@localhost", to: ["oncall@example.com"], subject: "s", messageID: "<a@b>",
            inReplyTo: nil, references: [], body: "b")
        #expect(Self.kind { _ = try guarded.post(request) } == .refusedDestination)
        #expect(Self.kind { _ = try allowed.post(request) } == .connect)
        #expect(
            Self.kind { _ = try allowed.post(WebhookRequest(url: "ftp://x/", headers: [], body: [])) }
                == .invalidURL)
        #expect(Self.kind { try guarded.send(mail) } == .smtp(code: nil, transient: false))
        #expect(Self.kind { try allowed.send(mail) } == .smtp(code: nil, transient: true))
        #expect(Self.kind { try unconfigured.send(mail) } == .notConfigured)
    }

    /// The kind of the ``DeliveryTransportError`` `body` throws; nil when it throws none.
    static func kind(_ body: () throws -> Void) -> DeliveryTransportError.Kind? {
        do {
            try body()
            return nil
        } catch {
            return (error as? DeliveryTransportError)?.kind
        }
    }

    @Test func serveStopsAtOnceOnABadCAFileOrAllowList() throws {
        let binary = TestDatabase.repositoryRoot + "/.build/debug/incidentd"
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build incidentd first")
        for (arguments, environment, expected) in [
            (["serve", "--ca-file", "/nonexistent/ca.pem"], [:], "INCIDENTD_CA_FILE"),
            (["serve"], ["INCIDENTD_OUTBOUND_ALLOW": "localhost"], "INCIDENTD_OUTBOUND_ALLOW"),
            (["serve", "--outbound-allow", "10.0.0.0/99"], [:], "--outbound-allow"),
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments =
                arguments + ["--data-dir", NSTemporaryDirectory() + "never-made-\(UUID().uuidString)"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(
                process.terminationStatus != 0 && text.contains(expected),
                "\(arguments) \(environment): \(text)")
        }
    }
}
