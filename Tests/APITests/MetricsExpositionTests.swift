import API
import Testing

/// The Prometheus text format 0.0.4 writer: escaping and number spelling.
@Suite struct MetricsExpositionTests {
    @Test func labelValuesEscapeBackslashQuoteAndNewline() {
        #expect(PrometheusExposition.escapeLabelValue(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
        #expect(PrometheusExposition.escapeLabelValue("/api/v1/alerts/{id}") == "/api/v1/alerts/{id}")
        #expect(PrometheusExposition.escapeHelp("one\\two\nthree \"quoted\"") == #"one\\two\nthree "quoted""#)
    }

    @Test func numbersUseTheFormatsSpelling() {
        #expect(PrometheusExposition.format(3) == "3")
        #expect(PrometheusExposition.format(-2) == "-2")
        #expect(PrometheusExposition.format(0.25) == "0.25")
        #expect(PrometheusExposition.format(.infinity) == "+Inf")
        #expect(PrometheusExposition.format(-.infinity) == "-Inf")
        #expect(PrometheusExposition.format(.nan) == "NaN")
        #expect(PrometheusExposition.format(1e300) == "1e+300")
    }

    @Test func familiesAndSamplesAreWrittenLineByLine() {
        var exposition = PrometheusExposition()
        exposition.family("x_total", .counter, help: "Things.")
        exposition.sample("x_total", [("a", "1"), ("b", "q\"")], 2)
        exposition.sample("x_total", [], 0.5)
        #expect(
            exposition.text
                == "# HELP x_total Things.\n# TYPE x_total counter\nx_total{a=\"1\",b=\"q\\\"\"} 2\nx_total 0.5\n"
        )
    }

    @Test func alertIngestionCountsPerSource() {
        let metrics = AlertIngestionMetrics()
        metrics.record(.alertmanager, count: 3)
        metrics.record(.alertmanager)
        metrics.record(.api, count: 0)
        #expect(metrics.count(.alertmanager) == 4)
        #expect(metrics.count(.api) == 0)
    }
}
