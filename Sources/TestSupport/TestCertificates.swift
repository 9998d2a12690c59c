import Foundation

/// Certificates made with the `openssl` command for TLS tests, once per test process, in a
/// temporary folder: a test CA, a server certificate it signed for `127.0.0.1`, `::1` and
/// `localhost`, one it signed for another host name only, and a server certificate for
/// `127.0.0.1` signed by a second CA the clients are never told about. EC P-256 keys.
public struct TestCertificates: Sendable {
    public let directory: String
    /// The test CA's certificate (PEM): what `INCIDENTD_CA_FILE` would name.
    public let caFile: String
    /// Server certificate and key for 127.0.0.1, ::1, localhost, signed by the test CA.
    public let serverCertificate: String
    public let serverKey: String
    /// Signed by the test CA for `other.example` only.
    public let otherHostCertificate: String
    public let otherHostKey: String
    /// For 127.0.0.1, signed by a CA no client trusts.
    public let unknownCACertificate: String
    public let unknownCAKey: String

    /// The process's certificates, made on first use.
    public static func shared() throws -> TestCertificates { try made.get() }

    private static let made: Result<TestCertificates, ReceiverError> = {
        do { return .success(try TestCertificates()) } catch {
            return .failure(ReceiverError(description: "cannot make test certificates: \(error)"))
        }
    }()

    private init() throws {
        Self.removeFoldersOfFinishedProcesses()
        directory = NSTemporaryDirectory() + "incidentd-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        caFile = directory + "/ca.pem"
        serverCertificate = directory + "/server.pem"
        serverKey = directory + "/server.key"
        otherHostCertificate = directory + "/other.pem"
        otherHostKey = directory + "/other.key"
        unknownCACertificate = directory + "/unknown-server.pem"
        unknownCAKey = directory + "/unknown-server.key"
        try makeCA(name: "ca", subject: "/CN=incidentd test CA")
        try makeCA(name: "unknown-ca", subject: "/CN=a CA nobody trusts")
        try makeLeaf(name: "server", ca: "ca", names: "IP:127.0.0.1,IP:::1,DNS:localhost")
        try makeLeaf(name: "other", ca: "ca", names: "DNS:other.example")
        try makeLeaf(name: "unknown-server", ca: "unknown-ca", names: "IP:127.0.0.1,DNS:localhost")
    }

    /// Deletes the certificate folders of earlier test processes (named by their pid) that
    /// have ended, so runs do not pile them up in the temporary folder.
    private static func removeFoldersOfFinishedProcesses() {
        let temporary = NSTemporaryDirectory()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix("incidentd-tls-") {
            let parts = name.split(separator: "-")
            guard parts.count == 4, let pid = Int32(parts[2]), kill(pid, 0) != 0, errno == ESRCH else {
                continue
            }
            try? FileManager.default.removeItem(atPath: temporary + name)
        }
    }

    private func makeCA(name: String, subject: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem", "-days", "2",
            "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func makeLeaf(name: String, ca: String, names: String) throws {
        let base = "\(directory)/\(name)"
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(base).key", "-out", "\(base).csr", "-subj", "/CN=\(name)",
        ])
        let extensions =
            "subjectAltName=\(names)\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
        try extensions.write(toFile: "\(base).ext", atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "\(base).csr", "-CA", "\(directory)/\(ca).pem", "-CAkey",
            "\(directory)/\(ca).key",
            "-CAcreateserial", "-out", "\(base).pem", "-days", "2", "-extfile", "\(base).ext",
        ])
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReceiverError(
                description:
                    "openssl \(arguments.first ?? "") failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}
