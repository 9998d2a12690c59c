import Foundation

/// Names the chat channel of an incident, `#incident-YYYY-MM-DD-<slug>` (seed 004: "Create
/// incident channel (#incident-YYYY-MM-DD-description)").
public enum IncidentChannel {
    /// Longest slug, in characters: keeps the whole name (21 + 40) within Slack's 80.
    public static let maxSlugLength = 40
    /// The slug used when the title has no usable letters or digits.
    public static let fallbackSlug = "incident"

    /// The channel name for an incident titled `title` on `date`'s UTC day.
    public static func name(title: String, date: Date) -> String {
        "#incident-\(CalendarDate(date))-\(slug(title))"
    }

    /// Lowercase ASCII letters and digits joined by single hyphens, at most ``maxSlugLength``
    /// characters, never empty.
    ///
    /// Accents are folded (`Café` → `cafe`); every other character separates words. Slack
    /// channel names allow only lowercase letters, digits, hyphens and underscores.
    public static func slug(_ title: String) -> String {
        let folded = title.folding(
            options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var slug = ""
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            let isWordScalar = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))
            guard isWordScalar else {
                pendingHyphen = !slug.isEmpty
                continue
            }
            if pendingHyphen {
                // Stop before a word that would not fit after its hyphen.
                if slug.count + 2 > maxSlugLength { break }
                slug.append("-")
                pendingHyphen = false
            }
            if slug.count >= maxSlugLength { break }
            slug.unicodeScalars.append(scalar)
        }
        slug = slug.lowercased()
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? fallbackSlug : slug
    }
}
