import Foundation
import HTTPServer

/// The JSON conventions of the API: DTOs spell their snake_case keys in `CodingKeys`, and
/// timestamps are RFC 3339 UTC strings (SPEC §4).
public enum APIJSON {
    /// A new encoder (JSONEncoder is not Sendable; one per use is cheap enough).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }

    /// A new decoder that reads RFC 3339 timestamps and names the field of a bad one.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "must be an RFC 3339 timestamp such as 2026-11-22T14:30:00Z")
            }
            return date
        }
        return decoder
    }

    /// A JSON response with the API's encoder.
    public static func response(
        _ value: some Encodable, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()
    )
        throws -> HTTPResponse
    {
        let body = try encoder().encode(value)
        return HTTPResponse.json(bytes: Array(body), status: status, headers: headers)
    }
}

extension APIJSON {
    /// A JSON response for a shape declared once (``JSONObjectShape``), printed by the byte
    /// writer: the same bytes the encoder would give, without its cost.
    static func response(
        _ shape: some JSONObjectShape, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()
    ) throws -> HTTPResponse {
        HTTPResponse.json(bytes: try JSONShapeWriter.bytes(shape), status: status, headers: headers)
    }

    /// A list page of shapes declared once, printed by the byte writer.
    static func response<Item: JSONObjectShape>(
        _ page: ListPage<Item>, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()
    ) throws -> HTTPResponse {
        HTTPResponse.json(
            bytes: try JSONShapeWriter.page(page.items, nextCursor: page.nextCursor), status: status,
            headers: headers)
    }
}

extension HTTPRequest {
    /// Decodes the JSON body with the API's conventions (415/400 problems from HTTPServer).
    public func decodeBody<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try decodeJSON(type, decoder: APIJSON.decoder())
    }
}
