package dcpidentity.conformance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dcpidentity.conformance.TckProperties.DID_HOLDER;
import static dcpidentity.conformance.TckProperties.STS_CLIENT_ID;
import static dcpidentity.conformance.TckProperties.STS_CLIENT_SECRET;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TckSuiteRunnerTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void clearExportedProperties() {
        TckProperties.KNOWN.forEach(System::clearProperty);
    }

    @Test
    void secretNotExportedAsSystemProperty() {
        var configuration = TckConfiguration.of(Map.of(STS_CLIENT_ID, "tck-holder", STS_CLIENT_SECRET, "s3cret"));

        TckSuiteRunner.exportSystemProperties(configuration);

        assertEquals("tck-holder", System.getProperty(STS_CLIENT_ID));
        assertNull(System.getProperty(STS_CLIENT_SECRET));
    }

    @Test
    void unknownSuiteIsUsageError(@TempDir Path directory) throws Exception {
        var config = Files.writeString(directory.resolve("tck.properties"), "");

        var status = run("verifier", config.toString());

        assertEquals(TckSuiteRunner.EXIT_USAGE, status);
        assertTrue(err.toString(UTF_8).contains("Unknown suite 'verifier'"), err.toString(UTF_8));
    }

    @Test
    void missingConfigFileIsUsageError(@TempDir Path directory) {
        var status = run("issuer", directory.resolve("absent.properties").toString());

        assertEquals(TckSuiteRunner.EXIT_USAGE, status);
        assertTrue(err.toString(UTF_8).contains("not found"), err.toString(UTF_8));
    }

    @Test
    void invalidConfigurationStopsBeforeTests(@TempDir Path directory) throws Exception {
        var config = Files.writeString(directory.resolve("issuer.properties"),
                DID_HOLDER + "=did:web:localhost%3A8080:holder\n");

        var status = run("issuer", config.toString());

        assertEquals(TckSuiteRunner.EXIT_USAGE, status);
        assertTrue(err.toString(UTF_8).contains("Missing dataspacetck.did.issuer"), err.toString(UTF_8));
        assertTrue(err.toString(UTF_8).contains("Remove " + DID_HOLDER), err.toString(UTF_8));
        assertEquals("", out.toString(UTF_8));
    }

    private int run(String... args) {
        return TckSuiteRunner.run(args, Map.of(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    }
}
