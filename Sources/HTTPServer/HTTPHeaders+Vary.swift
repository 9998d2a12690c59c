extension HTTPHeaders {
    /// Adds `token` to `Vary` (RFC 9110 §12.5.5) unless it, or `*`, is listed already;
    /// merged into the existing field line so the response carries one `Vary`.
    public mutating func addVaryToken(_ token: String) {
        let existing = values(for: "Vary")
        if existing.isEmpty {
            add(name: "Vary", value: token)
            return
        }
        if containsToken(token, in: "Vary") || containsToken("*", in: "Vary") { return }
        set(name: "Vary", value: existing.joined(separator: ", ") + ", " + token)
    }
}
