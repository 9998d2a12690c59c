import Outbound

/// A request URL checked for sending: `http` or `https`, with the port filled in.
struct HTTPTarget {
    let url: OutboundURL
    let isTLS: Bool
    let port: Int

    init(_ text: String) throws(HTTPClientError) {
        do { url = try OutboundURL(text) } catch { throw HTTPClientError(error) }
        switch url.scheme {
        case "http": isTLS = false
        case "https": isTLS = true
        default: throw HTTPClientError(.invalidURL, "scheme '\(url.scheme)' is not http or https")
        }
        // Credentials in a URL would end up in logs and delivery records; an Authorization
        // header says the same thing where it is meant to be.
        guard url.user == nil else {
            throw HTTPClientError(
                .invalidURL, "user:password@ in the URL is not supported; send an Authorization header")
        }
        port = url.port ?? (isTLS ? 443 : 80)
    }

    /// RFC 9110 §7.2: `Host` is the authority's host, with the port unless it is the default.
    var hostHeader: String {
        url.port == nil || port == (isTLS ? 443 : 80) ? url.hostForURI : "\(url.hostForURI):\(port)"
    }
}
