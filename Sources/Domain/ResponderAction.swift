import Foundation

/// A validated acknowledge or resolve body: who acts, and an optional text (`note` for an
/// acknowledgement, `resolution` for a resolve). SPEC §4: `{by, note | resolution}`.
public struct ResponderAction: Sendable, Hashable {
    /// The acting person; nil when the body named nobody (the API then records its key's name).
    public let by: String?
    public let text: String?

    /// Validates an acknowledgement body `{by, note}`.
    public static func acknowledge(by: String?, note: String?) throws(ValidationError) -> ResponderAction {
        try validate(by: by, text: note, textField: "note")
    }

    /// Validates a resolve body `{by, resolution}`.
    public static func resolve(by: String?, resolution: String?) throws(ValidationError) -> ResponderAction {
        try validate(by: by, text: resolution, textField: "resolution")
    }

    private static func validate(by: String?, text: String?, textField: String) throws(ValidationError)
        -> ResponderAction
    {
        var check = Validator()
        let by = check.optional("by", by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        let text = check.optional(textField, text, maxLength: TimelineEntry.maxBodyLength)
        try check.finish()
        return ResponderAction(by: by, text: text)
    }
}
