import Foundation

extension HTTPRequest {
    /// The media type of `Content-Type` without parameters, lowercased (`application/json`).
    public var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: " \t") }
        return type.map { $0.lowercased() }
    }

    /// Decodes a JSON body. Throws a `ProblemDetails`: 415 unless the Content-Type is
    /// `application/json` or `application/*+json`; 400 for an empty or malformed body, a value
    /// of the wrong shape, or (unless `allowingNUL`) a string or member name holding U+0000
    /// (``UnstorableText``), with the offending fields in `errors`. `allowingNUL` is for a
    /// sender's format whose handler cleans its text instead of refusing it.
    public func decodeJSON<Value: Decodable>(
        _ type: Value.Type, decoder: JSONDecoder = JSONDecoder(), allowingNUL: Bool = false
    ) throws -> Value {
        guard let mediaType,
            mediaType == "application/json"
                || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
        else {
            throw ProblemDetails(status: 415, detail: "The request body must be sent as application/json.")
        }
        guard !body.isEmpty else {
            throw ProblemDetails(
                status: 400, detail: "The request body is empty; a JSON document is required.")
        }
        if !allowingNUL {
            let fields = UnstorableText.nulFields(inJSON: body)
            if !fields.isEmpty {
                throw ProblemDetails(
                    status: 400,
                    detail: "The request body is invalid: "
                        + fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ") + ".",
                    errors: fields)
            }
        }
        do {
            return try decoder.decode(Value.self, from: Data(body))
        } catch let error as DecodingError {
            throw Self.problem(for: error)
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` body (`+` is a space). Throws 415 for
    /// another Content-Type.
    public func formParameters() throws -> QueryParameters {
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw ProblemDetails(
                status: 415, detail: "The request body must be sent as application/x-www-form-urlencoded.")
        }
        return QueryParameters(parsingBytes: body)
    }

    /// A 400 problem that names the field and says what was wrong, without echoing values.
    static func problem(for error: DecodingError) -> ProblemDetails {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let rendered = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined()
            return rendered.hasPrefix(".") ? String(rendered.dropFirst()) : rendered
        }
        let field: String
        let message: String
        switch error {
        case .keyNotFound(let key, let context):
            field = path(context.codingPath, key)
            message = "is required"
        case .typeMismatch(let type, let context):
            field = path(context.codingPath)
            message = "must be \(Self.jsonTypeName(type))"
        case .valueNotFound(let type, let context):
            field = path(context.codingPath)
            message = "must be \(Self.jsonTypeName(type)), not null"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return ProblemDetails(status: 400, detail: "The request body is not valid JSON.")
        case .dataCorrupted(let context):
            field = path(context.codingPath)
            message = "is invalid"
        @unknown default:
            return ProblemDetails(status: 400, detail: "The request body does not match the expected shape.")
        }
        let shown = field.isEmpty ? "body" : field
        return ProblemDetails(
            status: 400, detail: "The request body is invalid: \(shown) \(message).",
            errors: [FieldError(field: shown, message: message)])
    }

    /// A JSON-flavoured name for a Swift type in an error message.
    static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
