package dcpidentity.conformance;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class ConsoleReporterTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ConsoleReporter reporter = new ConsoleReporter(new PrintStream(output, true, UTF_8), false);

    @Test
    void countsPassedFailedAndSkipped() {
        run(selectClass(ReporterSamples.MixedResults.class));

        assertEquals(3, reporter.total());
        assertEquals(1, reporter.passed());
        assertEquals(1, reporter.failed());
        assertEquals(1, reporter.skipped());
    }

    @Test
    void printsFailureMessage() {
        run(selectClass(ReporterSamples.MixedResults.class));

        var printed = output.toString(UTF_8);
        assertTrue(printed.contains("PASSED  MixedResults.passes"), printed);
        assertTrue(printed.contains("FAILED  MixedResults.fails"), printed);
        assertTrue(printed.contains("SKIPPED MixedResults.disabled"), printed);
        assertEquals(1, reporter.failureReports().size());
        assertTrue(reporter.failureReports().get(0).contains("expected status 400 but was 500"),
                reporter.failureReports().get(0));
    }

    @Test
    void testsOfFailedClassCountAsFailed() {
        run(selectClass(ReporterSamples.FailingSetUp.class));

        assertEquals(2, reporter.total());
        assertEquals(0, reporter.passed());
        assertEquals(2, reporter.failed());
        assertEquals(0, reporter.skipped());
        assertTrue(reporter.failureReports().get(0).contains("port 8083 already in use"),
                reporter.failureReports().toString());
    }

    @Test
    void testsOfDisabledClassCountAsSkipped() {
        run(selectClass(ReporterSamples.DisabledClass.class));

        assertEquals(2, reporter.total());
        assertEquals(2, reporter.skipped());
        assertEquals(0, reporter.failed());
    }

    private void run(DiscoverySelector selector) {
        var launcher = LauncherFactory.create();
        launcher.registerTestExecutionListeners(reporter);
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selector).build());
    }
}
