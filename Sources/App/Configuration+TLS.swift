import Foundation
import HTTPServer
import TLS

/// HTTPS and trusted proxies: the settings checked before anything starts, so a bad file or
/// range stops `serve` at once with the setting's name.
extension Configuration {
    public static let tlsCertificateVariable = "INCIDENTD_TLS_CERT"
    public static let tlsKeyVariable = "INCIDENTD_TLS_KEY"
    public static let trustedProxiesVariable = "INCIDENTD_TRUSTED_PROXIES"
    static let tlsCertificateSetting = "\(tlsCertificateVariable) (--tls-cert)"
    static let tlsKeySetting = "\(tlsKeyVariable) (--tls-key)"

    /// The certificate and key files when both are set.
    var tlsFiles: HTTPServerTLS? {
        guard let certificate = tlsCertificateFile, let key = tlsKeyFile else { return nil }
        return HTTPServerTLS(certificateChainFile: certificate, privateKeyFile: key)
    }

    /// Checks the TLS settings the way the server will use them: both files or neither, each
    /// readable, the chain and key PEM that belong together. The error names the setting.
    public func checkTLS() throws(ConfigurationError) {
        switch (tlsCertificateFile, tlsKeyFile) {
        case (nil, nil):
            return
        case (nil, _):
            throw ConfigurationError("\(Self.tlsKeySetting) is set but \(Self.tlsCertificateSetting) is not")
        case (_, nil):
            throw ConfigurationError("\(Self.tlsCertificateSetting) is set but \(Self.tlsKeySetting) is not")
        case (let certificate?, let key?):
            for (file, setting) in [(certificate, Self.tlsCertificateSetting), (key, Self.tlsKeySetting)]
            where !FileManager.default.isReadableFile(atPath: file) {
                throw ConfigurationError("\(setting): cannot read \(file)")
            }
            do {
                try HTTPServerTLS(certificateChainFile: certificate, privateKeyFile: key).validate()
            } catch {
                // TLSContext.server says which file failed: the chain, the key, or (OpenSSL's
                // "key values mismatch", our "does not match") the two together.
                let message = error.message
                let setting =
                    message.contains("mismatch") || message.contains("does not match")
                    ? "\(Self.tlsCertificateSetting) and \(Self.tlsKeySetting)"
                    : message.hasPrefix("cannot load private key")
                        ? Self.tlsKeySetting : Self.tlsCertificateSetting
                throw ConfigurationError("\(setting): \(error.message)")
            }
        }
    }

    /// Comma-separated address ranges (`10.0.0.0/8,::1`); an entry that is not one is refused
    /// naming `name`.
    public static func trustedProxies(_ text: String, name: String) throws(ConfigurationError)
        -> TrustedProxies
    {
        switch TrustedProxies.parse(text) {
        case .success(let proxies):
            return proxies
        case .failure(let invalid):
            let entries = invalid.entries.map { "'\($0)'" }.joined(separator: ", ")
            throw ConfigurationError(
                "\(name) must be comma-separated address ranges such as 10.0.0.0/8 or ::1; not ranges: \(entries)"
            )
        }
    }
}
