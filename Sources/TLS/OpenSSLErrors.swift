import COpenSSL

/// Reads OpenSSL's per-thread error queue.
enum OpenSSLErrors {
    /// Drains the queue into one line (`error:0A000086:SSL routines::certificate verify failed`),
    /// or `fallback` when it is empty.
    static func drain(fallback: String) -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            messages.append(
                String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? fallback : messages.joined(separator: "; ")
    }
}
