/// Checks on the addresses and identifiers that go into SMTP commands and mail headers.
enum MailAddress {
    /// The bare address of `Name <address>` or `address`, checked to be something an SMTP
    /// command can carry: ASCII, one `@`, no spaces, brackets or line breaks.
    static func envelope(_ text: String) throws(SMTPError) -> String {
        var address = Substring(text)
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            address = text[text.index(after: open)..<text.index(before: text.endIndex)]
        }
        let bytes = Array(address.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1,
            bytes.filter({ $0 == UInt8(ascii: "@") }).count == 1,
            bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else { throw SMTPError(.invalidMessage, "'\(text.prefix(80))' is not a mail address") }
        return String(address)
    }

    /// A header value we copy as it is (`From`, `To` entries): printable ASCII only, so it
    /// can neither break the header nor need RFC 2047 encoding.
    static func headerText(_ text: String, field: String) throws(SMTPError) -> String {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else {
            throw SMTPError(.invalidMessage, "\(field) '\(text.prefix(80))' must be printable ASCII")
        }
        return text
    }

    /// `<id-left@id-right>` (RFC 5322 §3.6.4), brackets added when missing.
    static func messageID(_ text: String, field: String) throws(SMTPError) -> String {
        var id = Substring(text)
        if id.hasPrefix("<") && id.hasSuffix(">") { id = id.dropFirst().dropLast() }
        let bytes = Array(id.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1,
            bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else {
            throw SMTPError(.invalidMessage, "\(field) '\(text.prefix(80))' is not a <left@right> message id")
        }
        return "<\(id)>"
    }
}
