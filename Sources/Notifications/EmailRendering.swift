import Domain

/// The mail of an email delivery (SPEC §9): subject `[SEV1] INC-42 <title> — <what happened>`,
/// a text/plain body, and one thread per incident and channel. Message-IDs are derived from
/// the delivery id, so a retried delivery sends the same Message-ID and the thread of an
/// incident is the channel's earlier deliveries of events about it.
public enum EmailRendering {
    /// `<incident-42.delivery-7@domain>`, or `<delivery-7@domain>` outside incidents.
    public static func messageID(incidentID: Int64?, deliveryID: Int64, domain: String) -> String {
        let local = incidentID.map { "incident-\($0).delivery-\(deliveryID)" } ?? "delivery-\(deliveryID)"
        return "<\(local)@\(domain)>"
    }

    /// The domain Message-IDs use: the sender address's, else `incidentd.invalid`.
    public static func domain(ofSender from: String) -> String {
        let address = from.split(separator: "<").last.map { $0.trimmingCharacters(in: [">", " "]) } ?? from
        guard let at = address.lastIndex(of: "@") else { return "incidentd.invalid" }
        let domain = address[address.index(after: at)...]
        return domain.isEmpty ? "incidentd.invalid" : String(domain)
    }

    /// The mail for delivery `deliveryID` of `event`. `earlierDeliveryIDs` are the channel's
    /// earlier deliveries in the event's incident thread, oldest first.
    public static func message(
        _ event: Event, deliveryID: Int64, from: String, to: [String], earlierDeliveryIDs: [Int64]
    ) -> EmailMessage {
        let domain = domain(ofSender: from)
        let references = earlierDeliveryIDs.map {
            messageID(incidentID: event.incidentID, deliveryID: $0, domain: domain)
        }
        return EmailMessage(
            from: from, to: to, subject: EventHeadline(event).line,
            messageID: messageID(incidentID: event.incidentID, deliveryID: deliveryID, domain: domain),
            inReplyTo: references.last, references: references, body: body(event))
    }

    /// The text/plain body: the headline, the facts, then what was said (note, message,
    /// resolution), and the event's type and id.
    public static func body(_ event: Event) -> String {
        let headline = EventHeadline(event)
        var lines = [headline.line, ""]
        func fact(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("\(label): \(value)") }
        }
        fact("What happened", headline.happened)
        fact("Severity", event.severity)
        fact("Status", event.data["status"]?.stringValue)
        fact("Service", event.service)
        fact("By", event.actor)
        fact("When", EventJSON.timestamp(event.occurredAt))
        for key in ["note", "message", "resolution"] {
            if let said = event.data[key]?.stringValue, !said.isEmpty {
                lines += ["", said]
            }
        }
        lines += ["", "-- ", "incidentd event \(event.type) #\(event.id)"]
        return lines.joined(separator: "\n") + "\n"
    }
}
