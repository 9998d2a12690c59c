import Foundation
import Testing

@testable import API

/// Slack request signing (api.slack.com "Verifying requests from Slack"), without a server.
@Suite struct ChatSlackSignatureTests {
    /// Slack's documented example request, secret and signature.
    static let documentedSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let documentedTimestamp = "1531420618"
    static let documentedBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    static let documentedSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    static let documentedTime = Date(timeIntervalSince1970: 1_531_420_618)

    let verifier = SlackSignature(secret: documentedSecret)

    @Test func computesSlacksDocumentedSignature() {
        #expect(
            verifier.signature(timestamp: Self.documentedTimestamp, body: Array(Self.documentedBody.utf8))
                == Self.documentedSignature)
    }

    @Test func acceptsTheDocumentedRequestWithinFiveMinutes() throws {
        for offset in [-300.0, -1, 0, 1, 300.9] {
            try verifier.verify(
                signature: Self.documentedSignature, timestamp: Self.documentedTimestamp,
                body: Array(Self.documentedBody.utf8), now: Self.documentedTime + offset)
        }
        // Hex case does not matter.
        try verifier.verify(
            signature: Self.documentedSignature.uppercased().replacingOccurrences(of: "V0=", with: "v0="),
            timestamp: Self.documentedTimestamp, body: Array(Self.documentedBody.utf8),
            now: Self.documentedTime)
    }

    @Test func namesEveryRefusal() {
        let body = Array(Self.documentedBody.utf8)
        let cases: [(String?, String?, [UInt8], Date, SlackSignature.Failure)] = [
            (nil, Self.documentedTimestamp, body, Self.documentedTime, .missingSignature),
            ("", Self.documentedTimestamp, body, Self.documentedTime, .missingSignature),
            (Self.documentedSignature, nil, body, Self.documentedTime, .missingTimestamp),
            (Self.documentedSignature, "+1531420618", body, Self.documentedTime, .malformedTimestamp),
            (Self.documentedSignature, "1531420618.5", body, Self.documentedTime, .malformedTimestamp),
            (
                Self.documentedSignature, "99999999999999999999", body, Self.documentedTime,
                .malformedTimestamp
            ),
            (
                Self.documentedSignature, Self.documentedTimestamp, body, Self.documentedTime + 302,
                .staleTimestamp
            ),
            (
                Self.documentedSignature, Self.documentedTimestamp, body, Self.documentedTime - 301,
                .staleTimestamp
            ),
            (
                Self.documentedSignature, Self.documentedTimestamp, body + [0x20], Self.documentedTime,
                .mismatch
            ),
            (Self.documentedSignature, "1531420619", body, Self.documentedTime, .mismatch),
            (
                "v1=" + Self.documentedSignature.dropFirst(3), Self.documentedTimestamp, body,
                Self.documentedTime, .mismatch
            ),
            (
                String(Self.documentedSignature.dropLast()), Self.documentedTimestamp, body,
                Self.documentedTime, .mismatch
            ),
        ]
        for (signature, timestamp, body, now, expected) in cases {
            #expect(throws: expected, "\(signature ?? "nil") \(timestamp ?? "nil")") {
                try verifier.verify(signature: signature, timestamp: timestamp, body: body, now: now)
            }
        }
        #expect(throws: SlackSignature.Failure.mismatch) {
            try SlackSignature(secret: "another secret").verify(
                signature: Self.documentedSignature, timestamp: Self.documentedTimestamp, body: body,
                now: Self.documentedTime)
        }
    }

    /// Cross-check with Slack's own Python SDK (`pip install slack-sdk`):
    /// `slack_sdk.signature.SignatureVerifier` computes the same signatures, and accepts ours.
    @Test(.enabled(if: SlackSDK.isInstalled, "slack-sdk is not installed: pip install slack-sdk"))
    func agreesWithSlackSDKSignatureVerifier() throws {
        let bodies = [
            Self.documentedBody, "", "text=ack+INC-1+%E2%80%9CInvestigating%E2%80%9D&user_name=j%C3%B6rg",
            String(repeating: "a=b&", count: 2000), "ünïcødé ✓ & < >",
        ]
        let now = Date()
        let timestamp = String(Int(now.timeIntervalSince1970))
        let secret = "s3cr3t-🙂-value"
        let ours = SlackSignature(secret: secret)
        let signatures = bodies.map { ours.signature(timestamp: timestamp, body: Array($0.utf8)) }
        let sdk = try SlackSDK.check(
            secret: secret, timestamp: timestamp, bodies: bodies, signatures: signatures)
        #expect(sdk.count == bodies.count)
        for (index, (theirs, acceptsOurs)) in sdk.enumerated() {
            #expect(theirs == signatures[index], "body \(index)")
            #expect(acceptsOurs, "body \(index)")
            try ours.verify(
                signature: theirs, timestamp: timestamp, body: Array(bodies[index].utf8), now: now)
        }
    }
}

/// Slack's Python SDK, run as a subprocess.
enum SlackSDK {
    static let isInstalled: Bool = (try? run(["-c", "import slack_sdk.signature"], input: Data())) != nil

    /// For each body: `SignatureVerifier(secret).generate_signature(...)`, and whether
    /// `is_valid(...)` accepts the signature given for it.
    static func check(secret: String, timestamp: String, bodies: [String], signatures: [String]) throws
        -> [(String, Bool)]
    {
        let script = """
            import json, sys
            from slack_sdk.signature import SignatureVerifier
            args = json.load(sys.stdin)
            verifier = SignatureVerifier(args["secret"])
            for body, given in zip(args["bodies"], args["signatures"]):
                theirs = verifier.generate_signature(timestamp=args["timestamp"], body=body)
                valid = verifier.is_valid(body=body, timestamp=args["timestamp"], signature=given)
                print(theirs, "valid" if valid else "invalid")
            """
        let input = try JSONSerialization.data(withJSONObject: [
            "secret": secret, "timestamp": timestamp, "bodies": bodies, "signatures": signatures,
        ])
        return try run(["-c", script], input: input).split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return (String(parts.first ?? ""), parts.last == "valid")
        }
    }

    struct Failed: Error { let status: Int32 }

    /// Runs `python3 arguments` with `input` on stdin; its stdout.
    static func run(_ arguments: [String], input: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
        return String(decoding: output, as: UTF8.self)
    }
}
