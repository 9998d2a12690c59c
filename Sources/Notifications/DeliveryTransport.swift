/// What sends a delivery: an HTTP POST (webhook and Slack channels) or a mail. The delivery
/// worker only knows this protocol; the App plugs in the outbound HTTP and SMTP clients (SSRF
/// guard and TLS included) through a thin adapter that maps their errors to
/// ``DeliveryTransportError``.
public protocol DeliveryTransport: Sendable {
    /// POSTs `request` and returns the response, whatever its status; throws
    /// ``DeliveryTransportError`` when no response came (connect, TLS, timeout, ...).
    func post(_ request: WebhookRequest) throws(DeliveryTransportError) -> WebhookResponse
    /// Hands `message` to the mail server; throws ``DeliveryTransportError`` (`.smtp` with the
    /// reply code for a refusal) when it was not accepted.
    func send(_ message: EmailMessage) throws(DeliveryTransportError)
}

/// One outbound HTTP request.
public struct WebhookRequest: Sendable, Equatable {
    public var url: String
    public var headers: [Header]
    public var body: [UInt8]

    /// A header line (`Sendable`, `Equatable`: tuples are neither).
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(url: String, headers: [Header], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The receiver's answer.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [WebhookRequest.Header]
    public var body: [UInt8]

    public init(status: Int, headers: [WebhookRequest.Header] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why a send got no answer, or a mail server's refusal.
public struct DeliveryTransportError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The URL cannot be used (scheme, syntax).
        case invalidURL
        /// The SSRF guard refused the destination (SPEC §9: private ranges, at connect time).
        case refusedDestination
        case dns
        case connect
        case tls
        case timeout
        /// The receiver spoke something that is not HTTP/1.1 (or SMTP).
        case protocolViolation
        case responseTooLarge
        /// The mail server refused: its reply code (nil when it never answered) and whether the
        /// refusal is transient (4xx).
        case smtp(code: Int?, transient: Bool)
        /// Nothing to send with (no SMTP server configured).
        case notConfigured
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
