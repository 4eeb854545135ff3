package dcpidentity.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dcpidentity.conformance.TckProperties.DID_HOLDER;
import static dcpidentity.conformance.TckProperties.DID_ISSUER;
import static dcpidentity.conformance.TckProperties.STS_CLIENT_ID;
import static dcpidentity.conformance.TckProperties.STS_CLIENT_SECRET;
import static dcpidentity.conformance.TckProperties.STS_URL;

/**
 * A DCP TCK suite that applies to dcp-identity, with the properties a run of it needs.
 *
 * <p>The verifier suite ({@code ...verification.presentation.verifier}) is left out because it
 * tests a connector, not a Credential Service or an Issuer Service.
 */
public enum Suite {
    PRESENTATION_CS(
            "presentation-cs",
            "org.eclipse.dataspacetck.dcp.verification.presentation.cs",
            List.of(DID_HOLDER, STS_URL, STS_CLIENT_ID, STS_CLIENT_SECRET),
            Map.of(DID_ISSUER, "the TCK plays the issuer and signs the credentials it stores in the"
                    + " Credential Service with its own key, under its own DID")),
    ISSUANCE_CS(
            "issuance-cs",
            "org.eclipse.dataspacetck.dcp.verification.issuance.cs",
            List.of(DID_HOLDER),
            Map.of(DID_ISSUER, "the TCK plays the issuer and signs its tokens and credentials with"
                    + " its own key, under its own DID")),
    ISSUER(
            "issuer",
            "org.eclipse.dataspacetck.dcp.verification.issuance.issuer",
            List.of(DID_ISSUER),
            Map.of(DID_HOLDER, "the TCK plays the holder and signs its tokens with its own key,"
                    + " under its own DID"));

    private final String shortName;
    private final String testPackage;
    private final List<String> requiredProperties;
    private final Map<String, String> rejectedProperties;

    Suite(String shortName, String testPackage, List<String> requiredProperties,
          Map<String, String> rejectedProperties) {
        this.shortName = shortName;
        this.testPackage = testPackage;
        this.requiredProperties = requiredProperties;
        this.rejectedProperties = rejectedProperties;
    }

    /**
     * Finds a suite by its short name or by its Java package.
     *
     * @throws IllegalArgumentException when no suite has that name
     */
    public static Suite fromName(String name) {
        return Arrays.stream(values())
                .filter(suite -> suite.shortName.equals(name) || suite.testPackage.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown suite '%s'. Use one of: %s.".formatted(name, names())));
    }

    /** Returns the short names of all suites, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(Suite::shortName).collect(Collectors.joining(", "));
    }

    public String shortName() {
        return shortName;
    }

    /** Returns the Java package whose {@code *Test} classes make up the suite. */
    public String testPackage() {
        return testPackage;
    }

    /** Returns the properties that the run fails without. */
    public List<String> requiredProperties() {
        return requiredProperties;
    }

    /** Returns the properties that break the run when set, each with the reason. */
    public Map<String, String> rejectedProperties() {
        return rejectedProperties;
    }
}
