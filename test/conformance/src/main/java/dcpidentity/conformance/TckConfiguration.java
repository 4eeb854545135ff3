package dcpidentity.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dcpidentity.conformance.TckProperties.ANSI;
import static dcpidentity.conformance.TckProperties.CALLBACK_ADDRESS;
import static dcpidentity.conformance.TckProperties.CORRELATION_ID;
import static dcpidentity.conformance.TckProperties.DCP_SYSTEM_LAUNCHER;
import static dcpidentity.conformance.TckProperties.DEFAULT_HOST;
import static dcpidentity.conformance.TckProperties.DEFAULT_PORT;
import static dcpidentity.conformance.TckProperties.DID_HOLDER;
import static dcpidentity.conformance.TckProperties.DID_ISSUER;
import static dcpidentity.conformance.TckProperties.DID_THIRD_PARTY;
import static dcpidentity.conformance.TckProperties.DID_VERIFIER;
import static dcpidentity.conformance.TckProperties.HOST;
import static dcpidentity.conformance.TckProperties.KNOWN;
import static dcpidentity.conformance.TckProperties.LAUNCHER;
import static dcpidentity.conformance.TckProperties.PORT;
import static dcpidentity.conformance.TckProperties.PREFIX;
import static dcpidentity.conformance.TckProperties.REVOCATION_TYPE;
import static dcpidentity.conformance.TckProperties.SECRET;
import static dcpidentity.conformance.TckProperties.STS_URL;
import static dcpidentity.conformance.TckProperties.VPP_TRIGGER_ENDPOINT;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The effective properties of one TCK run: a properties file, overridden by environment variables
 * named {@code DATASPACETCK_*}, completed with defaults that keep the TCK on loopback.
 *
 * <p>An environment variable maps to a property by lower-casing its name and replacing {@code _}
 * with {@code .}, so {@code DATASPACETCK_STS_CLIENT_SECRET} sets
 * {@code dataspacetck.sts.client.secret}. Blank values count as unset.
 */
public final class TckConfiguration {
    private static final String ENVIRONMENT_PREFIX = "dataspacetck_";
    private static final String TEST_PACKAGE = PREFIX + "test.package";
    private static final Set<String> REVOCATION_TYPES = Set.of("bitstringstatuslist", "statuslist2021");
    private static final List<String> DID_PROPERTIES = List.of(DID_HOLDER, DID_ISSUER, DID_VERIFIER, DID_THIRD_PARTY);

    private final SortedMap<String, String> properties;

    private TckConfiguration(SortedMap<String, String> properties) {
        this.properties = Collections.unmodifiableSortedMap(properties);
    }

    /**
     * Reads {@code file} as a Java properties file in UTF-8 and applies the environment overrides
     * and the defaults.
     *
     * @throws IOException when the file cannot be read
     */
    public static TckConfiguration load(Path file, Map<String, String> environment) throws IOException {
        var fileProperties = new Properties();
        try (var reader = Files.newBufferedReader(file, UTF_8)) {
            fileProperties.load(reader);
        }
        var merged = new TreeMap<String, String>();
        for (var name : fileProperties.stringPropertyNames()) {
            merged.put(name.trim(), fileProperties.getProperty(name));
        }
        environment.forEach((name, value) -> {
            var lowerCaseName = name.toLowerCase(Locale.ROOT);
            if (lowerCaseName.startsWith(ENVIRONMENT_PREFIX)) {
                merged.put(lowerCaseName.replace('_', '.'), value);
            }
        });
        return of(merged);
    }

    /** Returns the configuration made of {@code properties} and the defaults. */
    public static TckConfiguration of(Map<String, String> properties) {
        var effective = new TreeMap<String, String>();
        properties.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                effective.put(name, value.trim());
            }
        });
        effective.putIfAbsent(LAUNCHER, DCP_SYSTEM_LAUNCHER);
        effective.putIfAbsent(HOST, DEFAULT_HOST);
        effective.putIfAbsent(ANSI, "false");
        if (!effective.containsKey(PORT)) {
            var callbackPort = explicitPort(effective.get(CALLBACK_ADDRESS));
            effective.put(PORT, String.valueOf(callbackPort > 0 ? callbackPort : DEFAULT_PORT));
        }
        effective.putIfAbsent(CALLBACK_ADDRESS, "http://localhost:" + effective.get(PORT));
        return new TckConfiguration(effective);
    }

    /** Returns all effective properties, sorted by name. */
    public SortedMap<String, String> properties() {
        return properties;
    }

    /** Lists the effective properties one a line, with secret values masked. */
    public String describe() {
        return properties.entrySet().stream()
                .map(entry -> "  %s = %s".formatted(entry.getKey(),
                        SECRET.contains(entry.getKey()) ? "********" : entry.getValue()))
                .collect(Collectors.joining(System.lineSeparator()));
    }

    /** Checks the properties against what the TCK and {@code suite} need. */
    public Validation validate(Suite suite) {
        var errors = new ArrayList<String>();
        var warnings = new ArrayList<String>();

        warnAboutUnreadProperties(warnings);
        if (!DCP_SYSTEM_LAUNCHER.equals(properties.get(LAUNCHER))) {
            errors.add("%s is '%s'; the DCP suites need %s.".formatted(LAUNCHER, properties.get(LAUNCHER), DCP_SYSTEM_LAUNCHER));
        }
        var port = parsePort(errors);
        if (!LoopbackHosts.isLoopback(properties.get(HOST))) {
            errors.add(("%s is '%s'; the TCK's callback server must bind to a loopback address"
                    + " such as 127.0.0.1.").formatted(HOST, properties.get(HOST)));
        }
        validateCallbackAddress(port, errors);
        for (var name : DID_PROPERTIES) {
            if (properties.containsKey(name)) {
                validateDid(name, errors);
            }
        }
        if (properties.containsKey(STS_URL)) {
            validateServiceUrl(STS_URL, errors);
            if (properties.get(STS_URL).endsWith("/")) {
                errors.add("%s must not end with '/': the TCK appends /token to it.".formatted(STS_URL));
            }
        }
        if (properties.containsKey(VPP_TRIGGER_ENDPOINT)) {
            validateServiceUrl(VPP_TRIGGER_ENDPOINT, errors);
            warnings.add("%s is read by the verifier suite only.".formatted(VPP_TRIGGER_ENDPOINT));
        }
        if (properties.containsKey(REVOCATION_TYPE)
                && !REVOCATION_TYPES.contains(properties.get(REVOCATION_TYPE).toLowerCase(Locale.ROOT))) {
            errors.add("%s is '%s'; expected one of %s.".formatted(REVOCATION_TYPE,
                    properties.get(REVOCATION_TYPE), String.join(", ", REVOCATION_TYPES)));
        }
        validateSuiteProperties(suite, errors, warnings);
        return new Validation(List.copyOf(errors), List.copyOf(warnings));
    }

    private void warnAboutUnreadProperties(List<String> warnings) {
        for (var name : properties.keySet()) {
            if (name.equals(TEST_PACKAGE)) {
                warnings.add("Ignoring %s: the suite argument selects the test package.".formatted(TEST_PACKAGE));
            } else if (!KNOWN.contains(name)) {
                warnings.add(("Ignoring %s: DCP TCK 1.0.0-RC6 does not read it (properties such as"
                        + " dataspacetck.vc.scope.pattern and dataspacetck.key.holder come from later"
                        + " releases).").formatted(name));
            }
        }
    }

    private int parsePort(List<String> errors) {
        var value = properties.get(PORT);
        try {
            var port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        errors.add("%s is '%s'; expected a port number from 1 to 65535.".formatted(PORT, value));
        return -1;
    }

    private void validateCallbackAddress(int port, List<String> errors) {
        var value = properties.get(CALLBACK_ADDRESS);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            errors.add("%s is not a valid URL: %s".formatted(CALLBACK_ADDRESS, e.getMessage()));
            return;
        }
        if (!"http".equals(uri.getScheme())) {
            errors.add(("%s is '%s'; it must be an http URL because the TCK's callback server does"
                    + " not use TLS.").formatted(CALLBACK_ADDRESS, value));
        }
        if (!LoopbackHosts.isLoopback(uri.getHost())) {
            errors.add(("%s is '%s'; its host must be loopback (localhost, 127.0.0.0/8 or [::1]).")
                    .formatted(CALLBACK_ADDRESS, value));
        }
        if (uri.getPort() < 0) {
            errors.add(("%s is '%s'; it must name its port because the TCK builds its DIDs from it,"
                    + " as in did:web:localhost%%3A8083:holder.").formatted(CALLBACK_ADDRESS, value));
        } else if (port > 0 && uri.getPort() != port) {
            errors.add(("%s names port %d but %s is %d; the system under test would call a port"
                    + " where the TCK does not listen.").formatted(CALLBACK_ADDRESS, uri.getPort(), PORT, port));
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            errors.add(("%s is '%s'; it must have no path, not even '/', because the TCK appends its"
                    + " endpoint paths such as /credentials to it.").formatted(CALLBACK_ADDRESS, value));
        }
    }

    private void validateDid(String name, List<String> errors) {
        var did = properties.get(name);
        try {
            var host = LoopbackHosts.didWebHost(did);
            if (!LoopbackHosts.isLoopback(host)) {
                errors.add(("%s is '%s'; its host '%s' is not loopback, and the TCK would fetch the"
                        + " DID document from there.").formatted(name, did, host));
            }
        } catch (IllegalArgumentException e) {
            errors.add("%s is '%s'; the TCK resolves did:web DIDs only.".formatted(name, did));
        }
    }

    private void validateServiceUrl(String name, List<String> errors) {
        var value = properties.get(name);
        try {
            var uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                errors.add("%s is '%s'; expected an http or https URL.".formatted(name, value));
            } else if (!LoopbackHosts.isLoopback(uri.getHost())) {
                errors.add("%s is '%s'; its host must be loopback (localhost, 127.0.0.0/8 or [::1])."
                        .formatted(name, value));
            }
        } catch (URISyntaxException e) {
            errors.add("%s is not a valid URL: %s".formatted(name, e.getMessage()));
        }
    }

    private void validateSuiteProperties(Suite suite, List<String> errors, List<String> warnings) {
        for (var name : suite.requiredProperties()) {
            if (!properties.containsKey(name)) {
                errors.add("Missing %s, which suite %s needs.".formatted(name, suite.shortName()));
            }
        }
        suite.rejectedProperties().forEach((name, reason) -> {
            if (properties.containsKey(name)) {
                errors.add("Remove %s for suite %s: %s.".formatted(name, suite.shortName(), reason));
            }
        });
        for (var name : List.of(DID_VERIFIER, DID_THIRD_PARTY)) {
            if (properties.containsKey(name)) {
                warnings.add(("%s replaces a DID that the TCK hosts and signs for with its own key;"
                        + " it must still resolve to the TCK's callback server.").formatted(name));
            }
        }
        if (suite != Suite.ISSUER && !properties.containsKey(CORRELATION_ID)) {
            warnings.add(("%s is not set, so the TCK sends credential messages with a random"
                    + " holderPid that the system under test cannot know in advance.").formatted(CORRELATION_ID));
        }
    }

    /** Problems found by {@link #validate(Suite)}: errors stop the run, warnings do not. */
    public record Validation(List<String> errors, List<String> warnings) {
        public boolean passed() {
            return errors.isEmpty();
        }
    }

    private static int explicitPort(String url) {
        if (url == null) {
            return -1;
        }
        try {
            return new URI(url).getPort();
        } catch (URISyntaxException e) {
            return -1;
        }
    }
}
