package dcpidentity.conformance;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sample test classes that {@link ConsoleReporterTest} runs through the JUnit launcher. Surefire
 * does not run them itself because their names do not end in {@code Test}.
 */
final class ReporterSamples {
    private ReporterSamples() {
    }

    static final class MixedResults {
        @Test
        void passes() {
        }

        @Test
        void fails() {
            fail("expected status 400 but was 500");
        }

        @Test
        @Disabled("not implemented by the TCK")
        void disabled() {
        }
    }

    static final class FailingSetUp {
        @BeforeAll
        static void startServer() {
            throw new IllegalStateException("port 8083 already in use");
        }

        @Test
        void first() {
        }

        @Test
        void second() {
        }
    }

    @Disabled
    static final class DisabledClass {
        @Test
        void first() {
        }

        @Test
        void second() {
        }
    }
}
