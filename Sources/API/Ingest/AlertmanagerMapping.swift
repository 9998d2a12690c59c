import Crypto
import Domain
import Foundation

/// How an Alertmanager alert becomes an incidentd alert (issue 5): summary from
/// `annotations.summary`, else `labels.alertname`; severity from `labels.severity` (lenient,
/// `AlertSeverity(alertmanagerLabel:)`); dedup key = `fingerprint`; source = `labels.instance`,
/// else `labels.job`, else `alertmanager`; labels, annotations, start and generator URL kept
/// in details. Text is cleaned and cut to the limits instead of refused (a 4xx would make
/// Alertmanager drop the whole notification).
enum AlertmanagerMapping {
    /// The alert's dedup key: its fingerprint, or, from a sender without fingerprints, a hash
    /// of its sorted labels (what Alertmanager's fingerprint identifies too).
    static func dedupKey(_ entry: AlertmanagerNotification.Entry) -> String {
        if let fingerprint = Validator.trimmed(entry.fingerprint),
            Validator.textProblem(fingerprint, maxLength: Alert.maxDedupKeyLength, singleLine: true) == nil
        {
            return fingerprint
        }
        let labels = (entry.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "am-" + Crypto.hex(Crypto.sha256(labels.joined(separator: "\n")))
    }

    /// The trigger for a firing entry.
    static func newAlert(
        _ entry: AlertmanagerNotification.Entry, dedupKey: String, service: String, externalURL: String?
    ) throws -> NewAlert {
        let labels = entry.labels ?? [:]
        let annotations = entry.annotations ?? [:]
        let summaryText = Validator.trimmed(annotations["summary"]) ?? Validator.trimmed(labels["alertname"])
        let summary = clean(
            summaryText ?? "Alertmanager alert", maxLength: Alert.maxSummaryLength, singleLine: false)
        let sourceText =
            Validator.trimmed(labels["instance"]) ?? Validator.trimmed(labels["job"]) ?? "alertmanager"
        var details: [String: JSONValue] = [
            "labels": object(labels), "annotations": object(annotations), "fingerprint": .string(dedupKey),
        ]
        details["starts_at"] = entry.startsAt.map { .string(withoutNUL($0)) }
        details["generator_url"] = entry.generatorURL.map { .string(withoutNUL($0)) }
        var links: [AlertLink] = []
        if let url = webURL(entry.generatorURL) { links.append(AlertLink(href: url, text: "Source")) }
        if let url = webURL(externalURL) { links.append(AlertLink(href: url, text: "Alertmanager")) }
        return try NewAlert.validate(
            service: service, source: clean(sourceText, maxLength: Alert.maxSourceLength, singleLine: true),
            summary: summary, severity: AlertSeverity(alertmanagerLabel: labels["severity"]).rawValue,
            dedupKey: dedupKey, details: .object(details), links: links)
    }

    /// `text` without NUL and stray control characters (line breaks only where allowed), cut
    /// to `maxLength` Unicode scalars; never empty.
    static func clean(_ text: String, maxLength: Int, singleLine: Bool) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where scalar.value != 0 {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            let keep = !isControl || (!singleLine && (scalar == "\n" || scalar == "\t"))
            scalars.append(keep ? scalar : " ")
        }
        let trimmed = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        let cut = String(String.UnicodeScalarView(trimmed.unicodeScalars.prefix(maxLength)))
        return cut.isEmpty ? "alertmanager" : cut
    }

    /// A label map as a JSON object, without NUL (jsonb cannot store it).
    static func object(_ map: [String: String]) -> JSONValue {
        .object(
            Dictionary(map.map { (withoutNUL($0.key), JSONValue.string(withoutNUL($0.value))) }) { first, _ in
                first
            })
    }

    static func withoutNUL(_ text: String) -> String {
        text.unicodeScalars.contains("\u{0}")
            ? String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{0}" })) : text
    }

    /// `text` when it is an http(s) URL short enough to be an alert link.
    static func webURL(_ text: String?) -> String? {
        guard let text = Validator.trimmed(text), text.count <= AlertLink.maxHrefLength,
            Validator.textProblem(text, maxLength: AlertLink.maxHrefLength, singleLine: true) == nil,
            let scheme = URLComponents(string: text)?.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return nil }
        return text
    }
}
