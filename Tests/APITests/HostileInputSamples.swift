import Foundation

/// A valid body for every route that takes one, so the hostile-input sweep can put a bad
/// value in each field in turn. `PD` and `ALR`, `INC` stand for the fixture's routing key and ids.
enum HostileInputSamples {
    static let form = "application/x-www-form-urlencoded"

    /// `METHOD /pattern` → (content type, body template).
    static let bodies: [String: (contentType: String, body: String)] = [
        // Part two (SPEC §9–§13).
        "POST /api/v1/maintenance-windows": json(
            #"{"description":"d","services":["api"],"public":true,"rrule":"FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0","#
                + #""time_zone":"UTC","duration_seconds":7200}"#),
        "PUT /api/v1/admin/read-only": json(#"{"enabled":false,"reason":"r","retry_after_seconds":30}"#),
        "POST /api/v1/channels": json(
            #"{"name":"c","kind":"webhook","url":"https://hooks.example.com/x","events":["incident.opened"],"#
                + #""services":["api"],"min_severity":"SEV2"}"#),
        "PATCH /api/v1/channels/{id}": json(#"{"name":"c2","enabled":true,"min_severity":"SEV3"}"#),
        "POST /api/v1/channels/{id}/test": json("{}"),
        "POST /api/v1/deliveries/{id}/redeliver": json("{}"),
        "POST /api/v1/users": json(
            #"{"name":"Alice","email":"alice@example.com","chat_user":"alice","time_zone":"Europe/London"}"#),
        "PATCH /api/v1/users/{id}": json(#"{"name":"Alice B","time_zone":"UTC"}"#),
        "POST /api/v1/users/{id}/contact-methods": json(#"{"kind":"email","to":"alice@example.com"}"#),
        "POST /api/v1/schedules": json(
            #"{"name":"primary","time_zone":"America/Chicago","layers":[{"name":"l","rotation":"weekly","#
                + #""length":1,"start":"2026-01-05T09:00:00","participants":[1]}]}"#),
        "PATCH /api/v1/schedules/{id}": json(#"{"name":"primary 2"}"#),
        "POST /api/v1/schedules/{id}/overrides": json(
            #"{"user":1,"start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z"}"#),
        "POST /api/v1/heartbeats": json(
            #"{"name":"hb","service":"api","interval_seconds":60,"grace_seconds":5,"severity":"critical","enabled":true}"#
        ),
        "PATCH /api/v1/heartbeats/{name}": json(#"{"interval_seconds":120,"enabled":false}"#),
        "POST /api/v1/heartbeats/{name}/ping": json("{}"),
        "PUT /api/v1/heartbeats/{name}/ping": json("{}"),
        "PATCH /api/v1/heartbeats/{name}/ping": json("{}"),
        "POST /v2/heartbeats/{name}/ping": json("{}"),
        "PUT /v2/heartbeats/{name}/ping": json("{}"),
        "PATCH /v2/heartbeats/{name}/ping": json("{}"),
        "POST /v2/alerts": json(
            #"{"message":"m","alias":"a","description":"d","priority":"P2","source":"s","tags":["t"],"#
                + #""details":{"k":"v"},"entity":"e"}"#),
        "POST /v2/alerts/{identifier}/acknowledge": json(#"{"user":"u","source":"s","note":"n"}"#),
        "POST /v2/alerts/{identifier}/close": json(#"{"user":"u","source":"s","note":"n"}"#),
        "POST /v2/alerts/{identifier}/notes": json(#"{"user":"u","source":"s","note":"n"}"#),
        "POST /api/v1/status/components": json(
            #"{"name":"API","description":"d","services":["api"],"group":"Core"}"#),
        "PATCH /api/v1/status/components/{id}": json(#"{"name":"API 2","status":"degraded_performance"}"#),
        "POST /api/v1/incidents/{id}/status-updates": json(
            #"{"status":"identified","body":"b","public":false,"next_update_minutes":30}"#),
        "POST /api/v1/api-keys": json(#"{"name":"ci","role":"viewer","expires_at":"2030-01-01T00:00:00Z"}"#),
        "POST /api/v1/services": json(
            #"{"name":"svc","description":"d","critical_alert_incident_severity":"P1"}"#),
        "PATCH /api/v1/services/{id}": json(#"{"escalation_policy":null}"#),
        "POST /api/v1/escalation-policies": json(
            #"{"name":"ladder 2","repeat":1,"steps":[{"delay_seconds":300,"#
                + #""targets":[{"type":"user","id":1},{"type":"schedule","id":1}]}]}"#),
        "PATCH /api/v1/escalation-policies/{id}": json(
            #"{"name":"ladder 3","repeat":0,"steps":[{"delay_seconds":0,"targets":[{"type":"user","id":1}]}]}"#
        ),
        "POST /api/v1/services/{id}/integrations": json(#"{"name":"n","kind":"generic"}"#),
        "POST /api/v1/alerts": json(
            #"{"service":"api","source":"prom","summary":"s","severity":"warning","dedup_key":"k","#
                + #""details":{"a":"b","n":[1,"x"]},"links":[{"href":"https://x.test","text":"t"}]}"#),
        "POST /api/v1/alerts/{id}/acknowledge": json(#"{"by":"alice","note":"n"}"#),
        "POST /api/v1/alerts/{id}/resolve": json(#"{"by":"alice","resolution":"r"}"#),
        "POST /api/v1/alerts/{id}/timeline": json(
            #"{"body":"b","occurred_at":"2026-01-01T00:00:00Z","by":"x"}"#),
        "POST /v2/enqueue": json(
            #"{"routing_key":"PD","event_action":"trigger","dedup_key":"d","client":"c","#
                + #""client_url":"https://c.test","payload":{"summary":"s","source":"h","#
                + #""severity":"critical","component":"c","group":"g","class":"k","#
                + #""custom_details":{"a":"b"}},"links":[{"href":"https://x.test","text":"t"}],"#
                + #""images":[{"src":"https://i.test","href":"https://x.test","alt":"a"}]}"#),
        "POST /v2/change/enqueue": json(
            #"{"routing_key":"PD","payload":{"summary":"s","source":"h","#
                + #""timestamp":"2026-01-01T00:00:00Z","custom_details":{"a":"b"}},"#
                + #""links":[{"href":"https://x.test","text":"t"}]}"#),
        "POST /api/v1/integrations/alertmanager": json(
            #"{"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"r","#
                + #""groupLabels":{"alertname":"A"},"commonLabels":{},"commonAnnotations":{},"#
                + #""externalURL":"http://am.test","alerts":[{"status":"firing","#
                + #""labels":{"alertname":"A","service":"api","severity":"critical"},"#
                + #""annotations":{"summary":"s","description":"d"},"startsAt":"2026-01-01T00:00:00Z","#
                + #""endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://p.test","fingerprint":"f1"}]}"#),
        "POST /alerts/trigger": json(
            #"{"type":"error","title":"t","message":"m","source":"s","service":"api"}"#),
        "POST /alerts/acknowledge": json(#"{"alertId":"ALR","userId":"u","note":"n"}"#),
        "POST /alerts/resolve": json(#"{"alertId":"ALR","userId":"u","resolution":"r"}"#),
        "POST /api/v1/incidents": json(
            #"{"title":"t","severity":"P2","summary":"s","impact":"i","commander":"c","#
                + #""services":["api"],"alert_ids":["ALR"],"started_at":"2026-01-01T00:00:00Z","#
                + #""detected_at":"2026-01-01T00:01:00Z","by":"b"}"#),
        "PATCH /api/v1/incidents/{id}": json(
            #"{"title":"t","severity":"P2","summary":"s","impact":"i","commander":"c","by":"b"}"#),
        "POST /api/v1/incidents/{id}/acknowledge": json(#"{"by":"b","note":"n"}"#),
        "POST /api/v1/incidents/{id}/status": json(#"{"status":"identified","message":"m","by":"b"}"#),
        "POST /api/v1/incidents/{id}/resolve": json(#"{"resolution":"r","by":"b"}"#),
        "POST /api/v1/incidents/{id}/alerts": json(#"{"alert_ids":["ALR"],"by":"b"}"#),
        "POST /api/v1/incidents/{id}/timeline": json(
            #"{"body":"b","occurred_at":"2026-01-01T00:00:00Z","kind":"note","by":"b"}"#),
        "POST /api/v1/incidents/{id}/postmortem": json(#"{"force":true}"#),
        "PATCH /api/v1/incidents/{id}/postmortem": json(
            #"{"summary":"s","impact":"i","root_cause":"r","prevention":"p","status":"draft","#
                + #""lessons":{"went_well":"a","went_wrong":"b","got_lucky":"c"}}"#),
        "POST /api/v1/incidents/{id}/postmortem/action-items": json(
            #"{"owner":"o","action":"a","due_date":"2030-01-01"}"#),
        "PATCH /api/v1/action-items/{id}": json(
            #"{"owner":"o","action":"a","due_date":"2030-01-01","status":"open"}"#),
        "POST /api/v1/chat/command": json(#"{"text":"ack ALR","user":"u"}"#),
        "POST /api/v1/chat/slack": (
            form,
            "command=%2Fincident&text=ack+ALR&user_name=u&user_id=U1&team_id=T1&channel_id=C1"
                + "&response_url=https%3A%2F%2Fx.test"
        ),
    ]

    static func json(_ body: String) -> (contentType: String, body: String) { ("application/json", body) }

    /// Values that must never make the server fail: the quote and comment of SQL injection,
    /// text far longer than any limit, numbers out of every range, and wrong JSON types.
    static var hostileJSONValues: [Any] {
        [
            "' OR '1'='1'; DROP TABLE alerts; --", String(repeating: "x", count: 20_000), "😀\u{202E}\u{FEFF}",
            -1, 1e300, 99_999_999_999_999_999_999.0, NSNull(), true, [Any](), [String: Any](),
        ]
    }

    /// The same for query and form values, percent-encoded.
    static let hostileQueryValues = [
        "%27%20OR%201%3D1--", String(repeating: "x", count: 5_000), "-1", "99999999999999999999",
        "%F0%9F%98%80",
        "%ED%A0%80", "%FF", "",
    ]
}
