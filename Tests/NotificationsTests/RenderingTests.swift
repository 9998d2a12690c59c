import Domain
import Foundation
import Notifications
import Testing

/// What people read: mail subjects, threads and bodies, Slack messages (SPEC §9).
@Suite struct RenderingTests {
    private func incidentEvent(_ type: EventType, data: [String: JSONValue], id: Int64 = 5) -> Event {
        Event(
            id: id, type: type.rawValue, occurredAt: Date(timeIntervalSince1970: 1_800_000_000),
            actor: "alice",
            subject: .incident(42), incidentID: 42, service: "api", serviceIDs: [1], severity: "SEV1",
            data: data.merging(["title": "Checkout <down>", "status": "investigating"]) { a, _ in a })
    }

    @Test func theMailSubjectIsSeverityRefTitleAndWhatHappened() {
        #expect(
            EventHeadline(incidentEvent(.incidentOpened, data: [:])).line
                == "[SEV1] INC-42 Checkout <down> — incident opened")
        #expect(
            EventHeadline(
                incidentEvent(.incidentStatusChanged, data: ["from": "investigating", "to": "identified"])
            )
            .line == "[SEV1] INC-42 Checkout <down> — status investigating → identified")
        let alert = Event(
            id: 1, type: "alert.triggered", occurredAt: Date(), actor: "prometheus", subject: .alert(7),
            incidentID: nil, service: "api", serviceIDs: [1], severity: "critical",
            data: ["summary": "5xx above 5%", "deduplicated": true, "event_count": 3])
        #expect(
            EventHeadline(alert).line == "[critical] ALR-7 5xx above 5% — alert triggered again (3 events)")
        let test = Event(
            id: 2, type: "test", occurredAt: Date(), actor: "admin", subject: .channel(3), incidentID: nil,
            service: nil, serviceIDs: [], severity: nil, data: ["channel": "ops"])
        #expect(EventHeadline(test).line == "test event for channel ops")
    }

    @Test func mailsOfOneIncidentFormAThreadInReplyToThePreviousReferencingAllEarlier() {
        let first = EmailRendering.message(
            incidentEvent(.incidentOpened, data: [:]), deliveryID: 10, from: "incidentd <ops@example.com>",
            to: ["a@example.com"], earlierDeliveryIDs: [])
        #expect(first.messageID == "<incident-42.delivery-10@example.com>")
        #expect(first.inReplyTo == nil && first.references.isEmpty)
        let third = EmailRendering.message(
            incidentEvent(.incidentResolved, data: ["resolution": "Rolled back"], id: 9), deliveryID: 30,
            from: "ops@example.com", to: ["a@example.com"], earlierDeliveryIDs: [10, 20])
        #expect(third.inReplyTo == "<incident-42.delivery-20@example.com>")
        #expect(
            third.references == [
                "<incident-42.delivery-10@example.com>", "<incident-42.delivery-20@example.com>",
            ])
        #expect(third.subject == "[SEV1] INC-42 Checkout <down> — resolved by alice")
        #expect(third.body.contains("\nRolled back\n"))
        #expect(third.body.contains("Service: api"))
        #expect(third.body.hasSuffix("incidentd event incident.resolved #9\n"))
    }

    @Test func slackGetsTextAndBlocksWithMrkdwnEscaped() throws {
        let body = try SlackRendering.body(
            incidentEvent(.incidentNoteAdded, data: ["note": "DB <primary> & replica"]))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(json["text"] as? String == "[SEV1] INC-42 Checkout <down> — note by alice")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["section", "context"])
        let section = try #require((blocks[0]["text"] as? [String: Any])?["text"] as? String)
        #expect(
            section
                == "*[SEV1] INC-42 Checkout &lt;down&gt; — note by alice*\n>DB &lt;primary&gt; &amp; replica")
    }

    @Test func eventJSONHasTheSpecKeysWithAnIntegerIDAndMicrosecondTimestamps() throws {
        let event = incidentEvent(.incidentOpened, data: [:])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(EventJSON.encode(event))) as? [String: Any])
        #expect(
            Set(json.keys) == [
                "id", "type", "occurred_at", "actor", "subject", "service", "severity", "data",
            ])
        #expect(json["id"] as? Int == 5)
        #expect(json["occurred_at"] as? String == "2027-01-15T08:00:00.000000Z")
        let subject = try #require(json["subject"] as? [String: Any])
        #expect(subject["kind"] as? String == "incident" && subject["id"] as? Int == 42)
        #expect(subject["ref"] as? String == "INC-42")
        #expect(try EventJSON.encode(event) == EventJSON.encode(event))
    }
}
