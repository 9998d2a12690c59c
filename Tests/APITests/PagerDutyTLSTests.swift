import Foundation
import HTTPServer
import TestSupport
import Testing

/// Issue 20 acceptance: PagerDuty's official `pagerduty` 7.2.0 client, unchanged, against
/// incidentd's own HTTPS (`scripts/compat/pagerduty_tls.py`): it takes the https:// base URL
/// through its public argument and verifies the test CA's certificate.
@Suite struct PagerDutyTLSTests {
    @Test func officialPagerDutyClientTriggersAcknowledgesAndResolvesOverNativeTLS() throws {
        let certificates = try TestCertificates.shared()
        // Set up over plain HTTP, then a second server on the same database serves HTTPS.
        let plain = try TestApp()
        defer { plain.stop() }
        let routingKey = try plain.makeRoutingKey(service: "pd-tls", kind: "pagerduty")
        let viewer = try plain.makeKey(role: .viewer)
        let app = try TestApp(sharing: plain) {
            $0.tls = HTTPServerTLS(
                certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey)
        }
        defer { app.stop() }
        let result = try CompatScript.run(
            "pagerduty_tls.py", ["https://127.0.0.1:\(app.port)", routingKey, viewer, certificates.caFile])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("all PagerDuty TLS checks passed"), "\(result.output)")
    }
}
