package dcpidentity.conformance;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints one line per finished test, then the failures with their messages, and counts the results.
 *
 * <p>A test that never ran because its class failed before it (for example when the TCK's
 * callback port is taken) counts as failed, so that passed + failed + skipped is the number of
 * tests in the suite.
 */
public final class ConsoleReporter implements TestExecutionListener {
    private static final int MAX_CAUSES = 5;

    private final PrintStream out;
    private final boolean stackTraces;
    private final List<String> failureReports = new ArrayList<>();
    private TestPlan testPlan;
    private long testCount;
    private long passed;
    private long failed;
    private long skipped;

    /**
     * @param stackTraces whether failures print full stack traces instead of the message chain
     */
    public ConsoleReporter(PrintStream out, boolean stackTraces) {
        this.out = out;
        this.stackTraces = stackTraces;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        testPlan = plan;
        testCount = plan.countTestIdentifiers(TestIdentifier::isTest);
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        var skippedTests = identifier.isTest() ? 1 : countTestsBelow(identifier);
        skipped += skippedTests;
        // JUnit's reason for @Disabled repeats the method signature, so print the annotation name instead.
        var shownReason = reason != null && reason.endsWith(" is @Disabled") ? "@Disabled" : reason;
        out.printf("SKIPPED %s (%s)%n", describe(identifier), shownReason);
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        var status = result.getStatus();
        if (identifier.isTest()) {
            if (status == TestExecutionResult.Status.SUCCESSFUL) {
                passed++;
                out.printf("PASSED  %s%n", describe(identifier));
            } else {
                failed++;
                out.printf("FAILED  %s%n", describe(identifier));
                failureReports.add(report(describe(identifier), result));
            }
        } else if (status != TestExecutionResult.Status.SUCCESSFUL && identifier.getSource().isPresent()) {
            out.printf("FAILED  %s (before or after its tests)%n", describe(identifier));
            failureReports.add(report(describe(identifier) + " (before or after its tests)", result));
        }
    }

    /** Returns the number of tests that passed. */
    public long passed() {
        return passed;
    }

    /** Returns the number of tests that failed, were aborted or never ran because their class failed. */
    public long failed() {
        return failed + notRun();
    }

    /** Returns the number of tests that were disabled, directly or through their class. */
    public long skipped() {
        return skipped;
    }

    /** Returns the number of tests in the suite. */
    public long total() {
        return testCount;
    }

    /** Returns the failure reports, one per failed test or class, each with its message chain. */
    public List<String> failureReports() {
        return List.copyOf(failureReports);
    }

    private long notRun() {
        return Math.max(0, testCount - passed - failed - skipped);
    }

    private long countTestsBelow(TestIdentifier container) {
        if (testPlan == null) {
            return 0;
        }
        return testPlan.getDescendants(container).stream().filter(TestIdentifier::isTest).count();
    }

    private static String describe(TestIdentifier identifier) {
        var source = identifier.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            return "%s.%s: %s".formatted(simpleName(method.getClassName()), method.getMethodName(),
                    identifier.getDisplayName());
        }
        if (source instanceof ClassSource type) {
            return simpleName(type.getClassName());
        }
        return identifier.getDisplayName();
    }

    private static String simpleName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }

    private String report(String description, TestExecutionResult result) {
        var text = new StringBuilder(description).append(System.lineSeparator());
        var throwable = result.getThrowable().orElse(null);
        if (throwable == null) {
            return text.append("    ").append(result.getStatus()).toString();
        }
        if (stackTraces) {
            var trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            return text.append(indent(trace.toString().stripTrailing())).toString();
        }
        var current = throwable;
        for (var depth = 0; current != null && depth <= MAX_CAUSES; depth++) {
            var prefix = depth == 0 ? "" : "caused by: ";
            text.append(indent(prefix + current)).append(System.lineSeparator());
            current = current.getCause() == current ? null : current.getCause();
        }
        return text.toString().stripTrailing();
    }

    private static String indent(String text) {
        return text.lines().map(line -> "    " + line).reduce((a, b) -> a + System.lineSeparator() + b).orElse("");
    }
}
