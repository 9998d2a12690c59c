import Domain
import Foundation
import Notifications
import Testing

/// SPEC §9's signatures, checked by verifiers we did not write: PyPI `standardwebhooks` (the
/// Standard Webhooks reference library) for `webhook-signature`, and Python's own `hmac` for
/// `X-Incidentd-Signature`, run as a subprocess on exactly the bytes and headers our code made.
@Suite struct WebhookSignatureTests {
    private func event() -> Event {
        Event(
            id: 42, type: "incident.opened", occurredAt: Date(timeIntervalSince1970: 1_800_000_000.123456),
            actor: "alice/ops", subject: .incident(7), incidentID: 7, service: "payments", serviceIDs: [1],
            severity: "SEV1",
            data: ["title": "Checkout down — 5xx \"everywhere\"", "status": "investigating", "n": 3])
    }

    @Test func aNewSecretIsWhsecAndThirtyTwoRandomBytes() {
        let secret = WebhookSecret.generate()
        #expect(secret.hasPrefix("whsec_"))
        #expect(WebhookSecret.key(of: secret)?.count == 32)
        #expect(WebhookSecret.generate() != secret)
        #expect(WebhookSecret.key(of: "not-a-secret") == nil)
    }

    @Test func bothSignaturesVerifyWithTheRealVerifiersForEachSecretDuringARotation() throws {
        let current = WebhookSecret.generate()
        let previous = WebhookSecret.generate()
        let body = try EventJSON.encode(event())
        let timestamp = Int64(Date().timeIntervalSince1970)
        let headers = WebhookSignature.headers(
            deliveryID: 9001, timestamp: timestamp, body: body, secrets: [current, previous])
        let named = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        #expect(named["webhook-id"] == "9001")
        #expect(named["webhook-signature"]?.split(separator: " ").count == 2)
        #expect(named["X-Incidentd-Signature"]?.split(separator: ",").count == 2)
        let verdicts = try Self.verify(
            body: body, headers: named, secrets: [current, previous, WebhookSecret.generate()])
        #expect(verdicts == ["valid valid", "valid valid", "invalid invalid"])
        // One byte changed: nothing verifies.
        var tampered = body
        tampered[tampered.count - 2] ^= 1
        #expect(try Self.verify(body: tampered, headers: named, secrets: [current]) == ["invalid invalid"])
    }

    @Test func withOneSecretEachHeaderCarriesOneSignature() throws {
        let secret = WebhookSecret.generate()
        let body = Array(#"{"id":1}"#.utf8)
        let headers = WebhookSignature.headers(
            deliveryID: 1, timestamp: Int64(Date().timeIntervalSince1970), body: body, secrets: [secret])
        let named = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        #expect(named["webhook-signature"]?.hasPrefix("v1,") == true)
        #expect(named["webhook-signature"]?.contains(" ") == false)
        #expect(named["X-Incidentd-Signature"]?.hasPrefix("sha256=") == true)
        #expect(try Self.verify(body: body, headers: named, secrets: [secret]) == ["valid valid"])
    }

    /// For each secret: whether `standardwebhooks` accepts the headers, and whether Python's
    /// hmac over the body with the whole secret string is one of the `X-Incidentd-Signature` values.
    static func verify(body: [UInt8], headers: [String: String], secrets: [String]) throws -> [String] {
        let script = """
            import base64, hashlib, hmac, json, sys
            from standardwebhooks.webhooks import Webhook
            args = json.load(sys.stdin)
            body = base64.b64decode(args["body"])
            for secret in args["secrets"]:
                try:
                    Webhook(secret).verify(body, args["headers"], json_parse=False)
                    standard = "valid"
                except Exception:
                    standard = "invalid"
                mine = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
                sent = args["headers"]["X-Incidentd-Signature"].split(",")
                print(standard, "valid" if any(hmac.compare_digest(mine, s) for s in sent) else "invalid")
            """
        let input = try JSONSerialization.data(withJSONObject: [
            "body": Data(body).base64EncodedString(), "headers": headers, "secrets": secrets,
        ])
        return try PythonProcess.run(["-c", script], input: input).split(separator: "\n").map(String.init)
    }
}

/// Runs the test venv's `python3` (scripts/test puts .build-venv/bin first on PATH).
enum PythonProcess {
    struct Failed: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "python3 exited \(status): \(stderr)" }
    }

    /// Runs `python3 arguments` with `input` on stdin; its stdout.
    static func run(_ arguments: [String], input: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(status: process.terminationStatus, stderr: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
