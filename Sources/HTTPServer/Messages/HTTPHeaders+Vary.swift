extension HTTPHeaders {
    /// Adds `token` to `Vary` (RFC 9110 §12.5.5) unless it, or `*`, is listed already;
    /// merged into the existing field line so the response carries one `Vary`.
    public mutating func addVaryToken(_ token: String) {
        guard contains("Vary") else {
            add(name: "Vary", value: token)
            return
        }
        if containsToken(token, in: "Vary") || containsToken("*", in: "Vary") { return }
        set(name: "Vary", value: values(for: "Vary").joined(separator: ", ") + ", " + token)
    }

    /// Every value for `name`, in order, without building an array.
    func lazyValues(for name: String) -> some Sequence<String> {
        lazy.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }
}
