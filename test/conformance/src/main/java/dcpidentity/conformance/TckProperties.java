package dcpidentity.conformance;

import java.util.Set;

/** Names of the configuration properties that DCP TCK 1.0.0-RC6 reads. */
public final class TckProperties {
    public static final String PREFIX = "dataspacetck.";

    /** Class name of the TCK's system launcher, which starts its mock parties. */
    public static final String LAUNCHER = PREFIX + "launcher";
    /** Base URL of the TCK's callback server as the system under test reaches it. */
    public static final String CALLBACK_ADDRESS = PREFIX + "callback.address";
    /** Address that the TCK's callback server binds to. */
    public static final String HOST = PREFIX + "host";
    /** Port that the TCK's callback server binds to. */
    public static final String PORT = PREFIX + "port";
    public static final String DID_HOLDER = PREFIX + "did.holder";
    public static final String DID_ISSUER = PREFIX + "did.issuer";
    public static final String DID_VERIFIER = PREFIX + "did.verifier";
    public static final String DID_THIRD_PARTY = PREFIX + "did.thirdparty";
    /** Base URL of the STS under test, to which the TCK appends {@code /token}. */
    public static final String STS_URL = PREFIX + "sts.url";
    public static final String STS_CLIENT_ID = PREFIX + "sts.client.id";
    public static final String STS_CLIENT_SECRET = PREFIX + "sts.client.secret";
    /** The {@code holderPid} of the TCK's credential messages and credential requests. */
    public static final String CORRELATION_ID = PREFIX + "credentials.correlation.id";
    /** Trigger endpoint of a verifier under test, read by the verifier suite only. */
    public static final String VPP_TRIGGER_ENDPOINT = PREFIX + "vpp.trigger.endpoint";
    /** Status list type of the TCK's own issuer: bitstringstatuslist or statuslist2021. */
    public static final String REVOCATION_TYPE = PREFIX + "revocation.type";
    public static final String DEBUG = PREFIX + "debug";
    public static final String ANSI = PREFIX + "ansi";

    /** Launcher class of the DCP mock parties, in dcp-system. */
    public static final String DCP_SYSTEM_LAUNCHER = "org.eclipse.dataspacetck.dcp.system.DcpSystemLauncher";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8083;

    /** Every property that 1.0.0-RC6 reads. It ignores all others. */
    public static final Set<String> KNOWN = Set.of(
            LAUNCHER, CALLBACK_ADDRESS, HOST, PORT,
            DID_HOLDER, DID_ISSUER, DID_VERIFIER, DID_THIRD_PARTY,
            STS_URL, STS_CLIENT_ID, STS_CLIENT_SECRET, CORRELATION_ID,
            VPP_TRIGGER_ENDPOINT, REVOCATION_TYPE, DEBUG, ANSI);

    /** Properties whose values must not be printed. */
    public static final Set<String> SECRET = Set.of(STS_CLIENT_SECRET);

    private TckProperties() {
    }
}
