package dcpidentity.conformance;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ProxySelector;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static dcpidentity.conformance.TckProperties.DEBUG;
import static dcpidentity.conformance.TckProperties.SECRET;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * Runs one DCP TCK suite against a system under test and prints
 * {@code <suite>: N passed, N failed, N skipped} as its last line.
 *
 * <p>Usage: {@code TckSuiteRunner SUITE CONFIG_FILE [REPORTS_DIR]}. The exit code is 0 when every
 * test that ran passed, 1 when a test failed or the suite had no tests, and 2 for invalid
 * arguments or configuration. REPORTS_DIR, when given, receives a JUnit XML report.
 *
 * <p>This replaces the TCK's own {@code DcpTckSuite} main class, which 1.0.0-RC6 does not
 * publish, and unlike it fails with a non-zero exit code.
 */
public final class TckSuiteRunner {
    static final int EXIT_PASSED = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** Pattern of the TCK's test class names. JUnit skips the abstract base classes that also match it. */
    private static final String TEST_CLASS_PATTERN = ".*Test";

    private TckSuiteRunner() {
    }

    public static void main(String[] args) {
        // Exit explicitly: threads that the TCK starts must not keep the JVM alive after the run.
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3) {
            err.printf("Usage: TckSuiteRunner SUITE CONFIG_FILE [REPORTS_DIR]%nSUITE is one of: %s.%n", Suite.names());
            return EXIT_USAGE;
        }
        Suite suite;
        TckConfiguration configuration;
        try {
            suite = Suite.fromName(args[0]);
            configuration = TckConfiguration.load(Path.of(args[1]), environment);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (NoSuchFileException e) {
            err.printf("error: configuration file %s not found.%n", args[1]);
            return EXIT_USAGE;
        } catch (IOException e) {
            err.printf("error: cannot read configuration file %s: %s%n", args[1], e);
            return EXIT_USAGE;
        }

        var validation = configuration.validate(suite);
        validation.warnings().forEach(warning -> err.println("warning: " + warning));
        if (!validation.passed()) {
            validation.errors().forEach(error -> err.println("error: " + error));
            return EXIT_USAGE;
        }

        out.printf("DCP TCK %s, suite %s (%s), with:%n%s%n", tckVersion(), suite.shortName(), suite.testPackage(),
                configuration.describe());
        var reportsDirectory = args.length == 3 ? Path.of(args[2]) : null;
        return execute(suite, configuration, reportsDirectory, out, err);
    }

    private static int execute(Suite suite, TckConfiguration configuration, Path reportsDirectory,
                               PrintStream out, PrintStream err) {
        // Install the guard before the TCK creates its first HTTP client.
        var guard = new LoopbackOnlyProxySelector();
        ProxySelector.setDefault(guard);
        exportSystemProperties(configuration);

        var reporter = new ConsoleReporter(out, Boolean.parseBoolean(configuration.properties().get(DEBUG)));
        var launcher = LauncherFactory.create();
        launcher.registerTestExecutionListeners(reporter);
        if (reportsDirectory != null) {
            try {
                Files.createDirectories(reportsDirectory);
            } catch (IOException e) {
                err.printf("error: cannot create reports directory %s: %s%n", reportsDirectory, e);
                return EXIT_USAGE;
            }
            launcher.registerTestExecutionListeners(
                    new LegacyXmlReportGeneratingListener(reportsDirectory, new PrintWriter(err, true)));
        }

        var started = System.nanoTime();
        launcher.execute(discoveryRequest(suite, configuration));
        var seconds = (System.nanoTime() - started) / 1e9;

        printFailures(reporter, out);
        if (!guard.blockedDestinations().isEmpty()) {
            out.printf("%nBlocked connections to non-loopback destinations: %s%n",
                    String.join(", ", guard.blockedDestinations()));
        }
        if (reporter.total() == 0) {
            err.printf("error: no tests found in package %s; check the TCK version on the class path.%n",
                    suite.testPackage());
        }
        out.printf("%nRan %d tests in %.1f s.%n", reporter.total(), seconds);
        out.printf("%s: %d passed, %d failed, %d skipped%n", suite.shortName(), reporter.passed(), reporter.failed(),
                reporter.skipped());
        return reporter.failed() == 0 && reporter.total() > 0 ? EXIT_PASSED : EXIT_FAILED;
    }

    /**
     * Sets every property except secrets as a system property. The TCK reads each property as a
     * JUnit configuration parameter first (see discoveryRequest) and as a system property second.
     * Secrets stay out of the system properties because the XML report lists all of them.
     */
    static void exportSystemProperties(TckConfiguration configuration) {
        configuration.properties().forEach((name, value) -> {
            if (!SECRET.contains(name)) {
                System.setProperty(name, value);
            }
        });
    }

    private static LauncherDiscoveryRequest discoveryRequest(Suite suite, TckConfiguration configuration) {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(suite.testPackage()))
                .filters(includeClassNamePatterns(TEST_CLASS_PATTERN))
                .configurationParameters(configuration.properties())
                .build();
    }

    private static void printFailures(ConsoleReporter reporter, PrintStream out) {
        if (reporter.failureReports().isEmpty()) {
            return;
        }
        out.printf("%nFailures:%n");
        reporter.failureReports().forEach(report -> out.printf("%n%s%n", report));
    }

    /** Returns the TCK version this harness was built against, from the filtered harness.properties. */
    static String tckVersion() {
        var properties = new Properties();
        try (InputStream in = TckSuiteRunner.class.getResourceAsStream("harness.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "(unknown version)";
        }
        return properties.getProperty("tck.version", "(unknown version)");
    }
}
