/// A validated person (SPEC §10 `POST /users {name, email, chat_user, time_zone}`).
public struct NewUser: Sendable, Hashable {
    public let name: String
    public let email: String?
    public let chatUser: String?
    /// IANA name; `UTC` when not given.
    public let timeZone: String

    public static let maxNameLength = 200
    public static let maxChatUserLength = 100  // 422 beyond

    public static func validate(name: String?, email: String?, chatUser: String?, timeZone: String?)
        throws(ValidationError) -> NewUser
    {
        var check = Validator()
        let name = check.required("name", name, maxLength: maxNameLength)
        let email = Validator.trimmed(email).flatMap { EmailAddress.check("email", $0, into: &check) }
        let chatUser = check.optional("chat_user", chatUser, maxLength: maxChatUserLength, singleLine: true)
        var zone = "UTC"
        if let text = Validator.trimmed(timeZone) {
            zone = ScheduleDefinition.checkZone("time_zone", text, into: &check)?.identifier ?? text
        }
        guard check.isValid, let name else { throw check.error }
        return NewUser(name: name, email: email, chatUser: chatUser, timeZone: zone)
    }
}

/// A validated `PATCH /users/{id}`: nil leaves a field as it is; an empty `email` or
/// `chat_user` clears it.
public struct UserPatch: Sendable, Hashable {
    public let name: String?
    public let email: FieldUpdate<String>?
    public let chatUser: FieldUpdate<String>?
    public let timeZone: String?

    public static func validate(name: String?, email: String?, chatUser: String?, timeZone: String?)
        throws(ValidationError) -> UserPatch
    {
        var check = Validator()
        let name = name == nil ? nil : check.required("name", name, maxLength: NewUser.maxNameLength)
        var emailUpdate: FieldUpdate<String>?
        if let email {
            if let text = Validator.trimmed(email) {
                emailUpdate = EmailAddress.check("email", text, into: &check).map { .set($0) }
            } else {
                emailUpdate = .clear
            }
        }
        let chatUser = check.update(
            "chat_user", chatUser, maxLength: NewUser.maxChatUserLength, singleLine: true)
        let zone = timeZone == nil ? nil : ScheduleDefinition.checkZone("time_zone", timeZone, into: &check)
        try check.finish()
        return UserPatch(name: name, email: emailUpdate, chatUser: chatUser, timeZone: zone?.identifier)
    }
}

/// The one check for e-mail addresses (users, email contact methods): `local@domain`, what
/// SMTP servers accept in practice, not every form RFC 5321 allows (no quoted local parts,
/// no address literals).
public enum EmailAddress {
    public static let maxLength = 254  // RFC 5321 §4.5.3.1.3 path limit less the brackets

    /// `text` when it is an address; else nil with an issue for `field`.
    public static func check(_ field: String, _ text: String, into check: inout Validator) -> String? {
        guard isValid(text) else {
            check.add(field, "must be an e-mail address such as oncall@example.com")
            return nil
        }
        return text
    }

    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= maxLength else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
            (1...64).contains(local.utf8.count), !domain.isEmpty
        else { return false }
        let localAllowed = Set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.")
        guard local.allSatisfy({ localAllowed.contains($0) }), !local.hasPrefix("."), !local.hasSuffix("."),
            !local.contains("..")
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
                }
        }
    }
}
