import Domain

/// Typed reads of an Opsgenie JSON body: absent or `null` is nil (empty), a value of the wrong
/// type is an issue naming the field.
struct OpsgenieFields {
    let object: [String: JSONValue]

    init(_ object: [String: JSONValue]) { self.object = object }

    func string(_ field: String, into check: inout Validator) -> String? {
        switch object[field] {
        case nil, .null: return nil
        case .string(let text): return text
        default:
            check.add(field, "must be a string")
            return nil
        }
    }

    func strings(_ field: String, into check: inout Validator) -> [String] {
        switch object[field] {
        case nil, .null: return []
        case .array(let items):
            let texts = items.compactMap(\.stringValue)
            if texts.count == items.count { return texts }
        default: break
        }
        check.add(field, "must be an array of strings")
        return []
    }

    func object(_ field: String, into check: inout Validator) -> [String: JSONValue] {
        switch object[field] {
        case nil, .null: return [:]
        case .object(let value): return value
        default:
            check.add(field, "must be an object")
            return [:]
        }
    }
}
