import Domain
import HTTPClient
import Outbound

extension ChannelsController {
    /// SPEC §9's SSRF guard when a channel's URL is set (create, or PATCH with `url`): a URL the
    /// outbound client cannot send to, or whose host is or resolves to a loopback, private,
    /// link-local or metadata address outside `INCIDENTD_OUTBOUND_ALLOW`, adds an issue naming
    /// `url`. A name that does not resolve (yet) passes: the check at every connect decides.
    /// Nothing is checked when `url` already has an issue or the channel takes no URL.
    static func checkDestination(
        _ url: String?, takesURL: Bool, policy: DestinationPolicy, issues: inout [FieldIssue]
    ) {
        guard takesURL, let url = Validator.trimmed(url), !issues.contains(where: { $0.field == "url" })
        else {
            return
        }
        do {
            try HTTPClient.checkDestination(url: url, policy: policy)
        } catch {
            switch error.kind {
            case .refusedDestination:
                issues.append(
                    FieldIssue(
                        field: "url",
                        message: "is refused: \(error.message) (INCIDENTD_OUTBOUND_ALLOW)"))
            case .invalidURL:
                issues.append(FieldIssue(field: "url", message: "cannot be sent to: \(error.message)"))
            default:
                // DNS failure or a slow resolver: not a verdict on the destination.
                break
            }
        }
    }
}
