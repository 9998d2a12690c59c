import Domain
import Foundation
import Testing

/// `trimmingWhitespaceAndNewlines()` replaces Foundation's
/// `trimmingCharacters(in: .whitespacesAndNewlines)` on the ingest path: it must trim exactly
/// the same characters.
@Suite struct TrimmingTests {
    @Test func everyScalarIsWhiteSpaceExactlyWhenFoundationSaysSo() {
        var disagreements: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            if scalar.isWhitespaceOrNewline != CharacterSet.whitespacesAndNewlines.contains(scalar) {
                disagreements.append("U+" + String(value, radix: 16, uppercase: true))
            }
        }
        #expect(disagreements.isEmpty)
    }

    static let trickyInputs: [String] = [
        "", " ", "\t", "\r\n", "\n\r", " \t\r\n\u{0B}\u{0C} ", "\u{85}", "\u{A0}", "\u{2028}", "\u{2029}",
        "\u{3000}", "\u{1680}", "\u{200B}", "\u{202F}\u{205F}", "\u{2000}\u{2001}\u{200A}",
        "payments", " payments ", "\tpayments\n", "\u{A0}payments\u{A0}", "\u{2028}line\u{2029}",
        "\u{3000}全角\u{3000}", "a b", "  a \n b  ", "\r\nmulti\nline\r\n",
        // Not white space: kept.
        "\u{FEFF}bom", "\u{180E}x\u{180E}", "\u{0}x", "x\u{7F}", "\u{1F}x",
        // Combining marks: trimming works on scalars, so the mark after a space stays.
        " \u{301}a ", "\u{301} a", "a \u{301}", "e\u{301} ", "👩‍👩‍👧 ", " 🇨🇭",
        String(repeating: " ", count: 1000) + "x" + String(repeating: "\n", count: 1000),
        String(repeating: "\u{3000}", count: 50),
    ]

    @Test(arguments: trickyInputs)
    func trimsLikeFoundation(_ input: String) {
        let ours = input.trimmingWhitespaceAndNewlines()
        let foundation = input.trimmingCharacters(in: .whitespacesAndNewlines)
        // Compared as scalars: String equality would treat canonically equivalent forms as equal.
        #expect(Array(ours.unicodeScalars) == Array(foundation.unicodeScalars))
    }

    @Test func substringsTrimToo() {
        let text = "[ alert \n]"
        let inner = text.dropFirst().dropLast()
        #expect(inner.trimmingWhitespaceAndNewlines() == "alert")
    }

    @Test func validatorTreatsAllBlankInputAsAbsent() {
        for blank in ["", " ", "\t\r\n", "\u{A0}\u{2028}\u{3000}"] {
            #expect(Validator.trimmed(blank) == nil)
        }
        #expect(Validator.trimmed("\u{3000} api \u{A0}") == "api")
    }
}
