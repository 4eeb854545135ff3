package dcpidentity.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dcpidentity.conformance.TckProperties.CALLBACK_ADDRESS;
import static dcpidentity.conformance.TckProperties.CORRELATION_ID;
import static dcpidentity.conformance.TckProperties.DID_HOLDER;
import static dcpidentity.conformance.TckProperties.DID_ISSUER;
import static dcpidentity.conformance.TckProperties.HOST;
import static dcpidentity.conformance.TckProperties.LAUNCHER;
import static dcpidentity.conformance.TckProperties.PORT;
import static dcpidentity.conformance.TckProperties.REVOCATION_TYPE;
import static dcpidentity.conformance.TckProperties.STS_CLIENT_ID;
import static dcpidentity.conformance.TckProperties.STS_CLIENT_SECRET;
import static dcpidentity.conformance.TckProperties.STS_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TckConfigurationTest {
    private static final String HOLDER = "did:web:localhost%3A8080:tck-holder";
    private static final String ISSUER = "did:web:localhost%3A8080:tck-issuer";

    @Test
    void defaultsKeepCallbackServerOnLoopback() {
        var properties = TckConfiguration.of(Map.of()).properties();

        assertEquals("127.0.0.1", properties.get(HOST));
        assertEquals("8083", properties.get(PORT));
        assertEquals("http://localhost:8083", properties.get(CALLBACK_ADDRESS));
        assertEquals(TckProperties.DCP_SYSTEM_LAUNCHER, properties.get(LAUNCHER));
    }

    @Test
    void portDefaultsToCallbackPort() {
        var properties = TckConfiguration.of(Map.of(CALLBACK_ADDRESS, "http://127.0.0.1:9093")).properties();

        assertEquals("9093", properties.get(PORT));
    }

    @Test
    void environmentOverridesFile(@TempDir Path directory) throws IOException {
        var file = directory.resolve("cs.properties");
        Files.writeString(file, "dataspacetck.did.holder=" + HOLDER + "\ndataspacetck.sts.client.id=from-file\n");
        var environment = Map.of(
                "DATASPACETCK_STS_CLIENT_ID", "from-environment",
                "DATASPACETCK_STS_CLIENT_SECRET", "s3cret",
                "PATH", "/usr/bin");

        var properties = TckConfiguration.load(file, environment).properties();

        assertEquals("from-environment", properties.get(STS_CLIENT_ID));
        assertEquals("s3cret", properties.get(STS_CLIENT_SECRET));
        assertEquals(HOLDER, properties.get(DID_HOLDER));
        assertFalse(properties.containsKey("path"));
    }

    @Test
    void blankValueCountsAsUnset() {
        var properties = TckConfiguration.of(Map.of(DID_ISSUER, "  ", HOST, "")).properties();

        assertFalse(properties.containsKey(DID_ISSUER));
        assertEquals("127.0.0.1", properties.get(HOST));
    }

    @Test
    void describeMasksSecret() {
        var description = TckConfiguration.of(Map.of(STS_CLIENT_SECRET, "s3cret")).describe();

        assertFalse(description.contains("s3cret"), description);
        assertTrue(description.contains(STS_CLIENT_SECRET + " = ********"), description);
    }

    @Test
    void completePresentationConfigurationPasses() {
        var validation = TckConfiguration.of(presentationProperties()).validate(Suite.PRESENTATION_CS);

        assertEquals(List.of(), validation.errors());
        assertEquals(List.of(), validation.warnings());
    }

    @Test
    void presentationSuiteNeedsHolderAndSts() {
        var validation = TckConfiguration.of(Map.of()).validate(Suite.PRESENTATION_CS);

        assertHasError(validation, "Missing " + DID_HOLDER);
        assertHasError(validation, "Missing " + STS_URL);
        assertHasError(validation, "Missing " + STS_CLIENT_ID);
        assertHasError(validation, "Missing " + STS_CLIENT_SECRET);
    }

    @Test
    void credentialServiceSuitesRejectIssuerDid() {
        var properties = presentationProperties();
        properties.put(DID_ISSUER, ISSUER);

        assertHasError(TckConfiguration.of(properties).validate(Suite.PRESENTATION_CS), "Remove " + DID_ISSUER);
        assertHasError(TckConfiguration.of(properties).validate(Suite.ISSUANCE_CS), "Remove " + DID_ISSUER);
    }

    @Test
    void issuerSuiteNeedsIssuerDidOnly() {
        var passing = TckConfiguration.of(Map.of(DID_ISSUER, ISSUER)).validate(Suite.ISSUER);
        var withHolder = TckConfiguration.of(Map.of(DID_ISSUER, ISSUER, DID_HOLDER, HOLDER)).validate(Suite.ISSUER);
        var withoutIssuer = TckConfiguration.of(Map.of()).validate(Suite.ISSUER);

        assertEquals(List.of(), passing.errors());
        assertHasError(withHolder, "Remove " + DID_HOLDER);
        assertHasError(withoutIssuer, "Missing " + DID_ISSUER);
    }

    @Test
    void remoteAddressesRejected() {
        var properties = presentationProperties();
        properties.put(HOST, "0.0.0.0");
        properties.put(CALLBACK_ADDRESS, "http://tck.example.com:8083");
        properties.put(DID_HOLDER, "did:web:wallet.example.com:holder");
        properties.put(STS_URL, "https://169.254.169.254/sts");

        var validation = TckConfiguration.of(properties).validate(Suite.PRESENTATION_CS);

        assertHasError(validation, HOST + " is '0.0.0.0'");
        assertHasError(validation, CALLBACK_ADDRESS + " is 'http://tck.example.com:8083'; its host must be loopback");
        assertHasError(validation, DID_HOLDER + " is 'did:web:wallet.example.com:holder'; its host");
        assertHasError(validation, STS_URL + " is 'https://169.254.169.254/sts'; its host must be loopback");
    }

    @Test
    void callbackAddressMustMatchServer() {
        var withPath = TckConfiguration.of(Map.of(CALLBACK_ADDRESS, "http://localhost:8083/")).validate(Suite.ISSUER);
        var withoutPort = TckConfiguration.of(Map.of(CALLBACK_ADDRESS, "http://localhost", PORT, "80"))
                .validate(Suite.ISSUER);
        var otherPort = TckConfiguration.of(Map.of(CALLBACK_ADDRESS, "http://localhost:9000", PORT, "8083"))
                .validate(Suite.ISSUER);
        var https = TckConfiguration.of(Map.of(CALLBACK_ADDRESS, "https://localhost:8083")).validate(Suite.ISSUER);

        assertHasError(withPath, "it must have no path");
        assertHasError(withoutPort, "it must name its port");
        assertHasError(otherPort, "names port 9000 but " + PORT + " is 8083");
        assertHasError(https, "it must be an http URL");
    }

    @Test
    void invalidValuesRejected() {
        var properties = presentationProperties();
        properties.put(PORT, "80800");
        properties.put(STS_URL, "http://127.0.0.1:8081/sts/");
        properties.put(REVOCATION_TYPE, "revocationlist2020");
        properties.put(DID_HOLDER, "did:key:z6MkholderKey");
        properties.put(LAUNCHER, "org.example.OtherLauncher");

        var validation = TckConfiguration.of(properties).validate(Suite.PRESENTATION_CS);

        assertHasError(validation, PORT + " is '80800'");
        assertHasError(validation, STS_URL + " must not end with '/'");
        assertHasError(validation, REVOCATION_TYPE + " is 'revocationlist2020'");
        assertHasError(validation, DID_HOLDER + " is 'did:key:z6MkholderKey'; the TCK resolves did:web DIDs only");
        assertHasError(validation, LAUNCHER + " is 'org.example.OtherLauncher'");
    }

    @Test
    void unreadPropertiesOnlyWarn() {
        var properties = presentationProperties();
        properties.put("dataspacetck.vc.scope.pattern", "(?<type>.*)");
        properties.put("dataspacetck.test.package", "org.example");
        properties.remove(CORRELATION_ID);

        var validation = TckConfiguration.of(properties).validate(Suite.PRESENTATION_CS);

        assertTrue(validation.passed(), validation.errors().toString());
        assertHasMessage(validation.warnings(), "Ignoring dataspacetck.vc.scope.pattern");
        assertHasMessage(validation.warnings(), "Ignoring dataspacetck.test.package");
        assertHasMessage(validation.warnings(), CORRELATION_ID + " is not set");
    }

    private static Map<String, String> presentationProperties() {
        var properties = new HashMap<String, String>();
        properties.put(DID_HOLDER, HOLDER);
        properties.put(STS_URL, "http://127.0.0.1:8081/sts");
        properties.put(STS_CLIENT_ID, "tck-holder");
        properties.put(STS_CLIENT_SECRET, "s3cret");
        properties.put(CORRELATION_ID, "tck-correlation-id");
        return properties;
    }

    private static void assertHasError(TckConfiguration.Validation validation, String expectedPart) {
        assertFalse(validation.passed());
        assertHasMessage(validation.errors(), expectedPart);
    }

    private static void assertHasMessage(List<String> messages, String expectedPart) {
        assertTrue(messages.stream().anyMatch(message -> message.contains(expectedPart)),
                "expected a message containing \"%s\" in %s".formatted(expectedPart, messages));
    }
}
