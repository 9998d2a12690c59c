import Foundation
import HTTPServer
import Repositories

/// Opsgenie's answers, in its own shapes (SPEC §12): `took` is the seconds the server spent,
/// `requestId` names the call (and, for alert calls, its outcome under
/// `GET /v2/alerts/requests/{requestId}`).
enum OpsgenieResponses {
    /// 202 `{"result":"Request will be processed","took","requestId"}`.
    static func accepted(requestID: String, took: Double) throws -> HTTPResponse {
        try APIJSON.response(
            Result(result: "Request will be processed", took: took, requestId: requestID), status: 202)
    }

    /// 202 `{"result":"PONG - Heartbeat received","took","requestId"}`.
    static func pong(requestID: String, took: Double) throws -> HTTPResponse {
        try APIJSON.response(
            Result(result: "PONG - Heartbeat received", took: took, requestId: requestID), status: 202)
    }

    /// 200 `{"data":{"success","action","processedAt","integrationId","isSuccess","status",
    /// "alertId","alias"},"took","requestId"}`.
    static func requestStatus(_ record: OpsgenieRequestRecord, requestID: String, took: Double) throws
        -> HTTPResponse
    {
        let data = RequestStatus(
            success: record.isSuccess, action: record.action, processedAt: record.processedAt,
            integrationId: record.integrationID, isSuccess: record.isSuccess, status: record.status,
            alertId: record.alertID.map(String.init), alias: record.alias)
        return try APIJSON.response(StatusAnswer(data: data, took: took, requestId: requestID))
    }

    /// Opsgenie's error body: `{"message","took","requestId"}`, with `errors` (field → message)
    /// for bad input, as its API answers 4xx and 5xx.
    static func errorBody(message: String, errors: [String: String], requestID: String, took: Double) throws
        -> [UInt8]
    {
        Array(
            try APIJSON.encoder().encode(
                ErrorAnswer(
                    message: message, errors: errors.isEmpty ? nil : errors, took: took, requestId: requestID)
            ))
    }

    /// Seconds from `start` to `end`, to the millisecond (Opsgenie's `took`).
    static func took(from start: Date, to end: Date) -> Double {
        (max(0, end.timeIntervalSince(start)) * 1000).rounded() / 1000
    }

    /// A new request id: Opsgenie's are UUIDs, and clients keep them to ask for the outcome.
    static func newRequestID() -> String { UUID().uuidString.lowercased() }

    struct Result: Encodable {
        let result: String
        let took: Double
        let requestId: String
    }

    struct RequestStatus: Encodable {
        let success: Bool
        let action: String
        let processedAt: Date
        let integrationId: String
        let isSuccess: Bool
        let status: String
        let alertId: String?
        let alias: String?
    }

    struct StatusAnswer: Encodable {
        let data: RequestStatus
        let took: Double
        let requestId: String
    }

    struct ErrorAnswer: Encodable {
        let message: String
        let errors: [String: String]?
        let took: Double
        let requestId: String
    }
}
