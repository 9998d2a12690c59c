import Domain
import Foundation
import Repositories

/// `GET /status` as one server-rendered HTML document (SPEC §13): no JavaScript, no external
/// resources, a few hundred bytes of CSS, landmarks (`header`, `main`, `footer`), one `h1` and
/// an `h2` per section, and every status written out in words beside its colour, so screen
/// readers and text browsers (`w3m -dump`) read the same page a phone shows.
enum StatusPageHTML {
    static func render(_ snapshot: StatusPageSnapshot) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Status — \(escape(snapshot.worst.pageDescription))</title>
            <style>\(css)</style>
            </head>
            <body>
            <header><h1>System status</h1>
            <p class="overall \(snapshot.worst.rawValue)" role="status"><strong>\(escape(snapshot.worst.pageDescription))</strong></p>
            </header>
            <main>

            """
        html += componentsSection(snapshot)
        html += incidentsSection(snapshot)
        html += maintenanceSection(snapshot)
        html += """
            </main>
            <footer><p>Updated \(escape(RFC3339.format(snapshot.updatedAt))). Also as JSON: <a href="/status/api/v2/summary.json">summary.json</a>.</p></footer>
            </body>
            </html>

            """
        return html
    }

    static func componentsSection(_ snapshot: StatusPageSnapshot) -> String {
        var html = "<section aria-labelledby=\"components\"><h2 id=\"components\">Components</h2>\n"
        if snapshot.components.isEmpty { return html + "<p>No components are listed.</p></section>\n" }
        html += "<ul class=\"components\">\n"
        for (record, status) in snapshot.components {
            let group = record.group.map { "<span class=\"group\">\(escape($0)) · </span>" } ?? ""
            html += "<li>\(group)<span class=\"name\">\(escape(record.name))</span> "
            html += "<span class=\"badge \(status.rawValue)\">\(escape(status.label))</span>"
            if !record.description.isEmpty { html += "<br><small>\(escape(record.description))</small>" }
            html += "</li>\n"
        }
        return html + "</ul></section>\n"
    }

    static func incidentsSection(_ snapshot: StatusPageSnapshot) -> String {
        var html = "<section aria-labelledby=\"incidents\"><h2 id=\"incidents\">Current incidents</h2>\n"
        if snapshot.incidents.isEmpty { return html + "<p>No incidents reported.</p></section>\n" }
        for item in snapshot.incidents {
            let incident = item.incident
            let ref = incident.ref.description
            let impact = StatusPageSnapshot.impact(incident.severity)
            html += "<article id=\"\(escape(ref))\" class=\"incident \(impact)\">"
            html += "<h3>\(escape(incident.title))</h3>\n"
            html +=
                "<p>Impact: <strong>\(escape(impact))</strong>. Status: <strong>\(escape(incident.status.rawValue.capitalized))</strong>.</p>\n"
            if item.updates.isEmpty {
                html += "<p>We are looking into it; an update will follow.</p>\n"
            } else {
                html += "<ol class=\"updates\">\n"
                for update in item.updates {
                    let status = update.data["status"]?.stringValue ?? incident.status.rawValue
                    html += "<li><strong>\(escape(status.capitalized))</strong> — \(escape(update.body))"
                    html +=
                        " <time datetime=\"\(RFC3339.format(update.occurredAt))\">\(escape(timeText(update.occurredAt)))</time></li>\n"
                }
                html += "</ol>\n"
            }
            html += "</article>\n"
        }
        return html + "</section>\n"
    }

    static func maintenanceSection(_ snapshot: StatusPageSnapshot) -> String {
        var html =
            "<section aria-labelledby=\"maintenance\"><h2 id=\"maintenance\">Scheduled maintenance</h2>\n"
        if snapshot.maintenance.isEmpty {
            return html + "<p>No maintenance scheduled in the next 72 hours.</p></section>\n"
        }
        html += "<ul>\n"
        for window in snapshot.maintenance {
            let state = snapshot.isActive(window) ? "In progress" : "Scheduled"
            html +=
                "<li id=\"\(escape(window.ref))\"><strong>\(state)</strong>: \(escape(window.description)), "
            html += "\(escape(timeText(window.startsAt))) to \(escape(timeText(window.endsAt)))"
            let affected = snapshot.components(covering: window).map(\.record.name)
            if !affected.isEmpty {
                html += "<br><small>Affects: \(escape(affected.joined(separator: ", ")))</small>"
            }
            html += "</li>\n"
        }
        return html + "</ul></section>\n"
    }

    /// `2026-12-07 14:30 UTC`.
    static func timeText(_ date: Date) -> String {
        let text = RFC3339.format(date)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5)) + " UTC"
    }

    /// Text safe in HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Colours back words, never replace them; contrast ≥ 4.5:1 on white.
    static let css = """
        body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:44rem;padding:1rem;color:#1a1a1a}\
        h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.1rem;margin:.5rem 0}\
        .overall{padding:.75rem 1rem;border-radius:.4rem;color:#fff;background:#1e7b34}\
        .overall.degraded_performance{background:#8a5a00}.overall.partial_outage{background:#b34700}\
        .overall.major_outage{background:#b00020}.overall.under_maintenance{background:#1d4f91}\
        ul.components{list-style:none;padding:0}ul.components li{padding:.5rem 0;border-bottom:1px solid #ddd}\
        .badge{float:right;font-weight:600;color:#1e7b34}.badge.degraded_performance{color:#8a5a00}\
        .badge.partial_outage{color:#b34700}.badge.major_outage{color:#b00020}.badge.under_maintenance{color:#1d4f91}\
        .incident{border-left:.3rem solid #b34700;padding-left:.75rem;margin:1rem 0}\
        .incident.critical{border-color:#b00020}time{color:#555;font-size:.9rem}footer{margin-top:2rem;color:#555}
        """
}
