import HTTPServer
import Testing

@testable import App

/// The two request timeouts reach the HTTP server: the read total and the deadline.
@Suite struct RequestTimeoutConfigurationTests {
    @Test func defaultsAreTenSecondsToAnswerAndThirtyToArrive() throws {
        let timeouts = Configuration().httpServerConfiguration.timeouts
        #expect(timeouts.requestDeadline == .seconds(10))
        #expect(timeouts.requestRead == .seconds(30))
    }

    @Test func environmentSetsThem() throws {
        var configuration = Configuration()
        try configuration.apply(environment: [
            "INCIDENTD_REQUEST_TIMEOUT": "2", "INCIDENTD_REQUEST_READ_TIMEOUT": "1m",
        ])
        let timeouts = configuration.httpServerConfiguration.timeouts
        #expect(timeouts.requestDeadline == .seconds(2))
        #expect(timeouts.requestRead == .seconds(60))
    }

    @Test func refusesWhatIsNotADuration() {
        var configuration = Configuration()
        #expect(throws: ConfigurationError.self) {
            try configuration.apply(environment: ["INCIDENTD_REQUEST_TIMEOUT": "soon"])
        }
    }
}
