extension DestinationPolicy {
    /// Refuses a destination host when it is configured (a channel's URL), before anything is
    /// sent: an IP literal is checked at once, a name is resolved (for at most
    /// `resolveTimeout`) and each answer checked. A name that does not resolve yet is not
    /// refused here; the check at connect time still applies to whatever it resolves to then.
    public func checkHost(_ host: String, resolveTimeout: Duration = .seconds(2)) throws(OutboundError) {
        let addresses: [IPAddress]
        do {
            addresses = try Resolver.resolve(host, deadline: .now + resolveTimeout)
        } catch {
            guard error.kind == .dns || error.kind == .timeout else { throw error }
            return
        }
        for address in addresses { try check(address) }
    }
}
