package dcpidentity.conformance;

import java.net.URLDecoder;
import java.util.Locale;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Decides whether a host name or address is on the loopback interface, without DNS look-ups.
 *
 * <p>Loopback hosts are {@code localhost}, IPv4 literals in 127.0.0.0/8 and the IPv6 literal
 * {@code ::1} (also written {@code 0:0:0:0:0:0:0:1}). Any other name or spelling counts as
 * remote, even one that a hosts file maps to 127.0.0.1, because deciding that would need a
 * look-up that may leave the machine.
 */
public final class LoopbackHosts {
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LOOPBACK = Pattern.compile("::1|0:0:0:0:0:0:0:1");
    private static final String DID_WEB_PREFIX = "did:web:";

    private LoopbackHosts() {
    }

    /** Returns whether {@code host}, a name or an IP literal (IPv6 bare or in brackets), is loopback. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        var bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        if (IPV4_LITERAL.matcher(bare).matches()) {
            return isLoopbackIpv4(bare);
        }
        return IPV6_LOOPBACK.matcher(bare).matches();
    }

    private static boolean isLoopbackIpv4(String literal) {
        var octets = literal.split("\\.");
        for (var octet : octets) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return Integer.parseInt(octets[0]) == 127;
    }

    /**
     * Returns the host of a {@code did:web} DID: the first segment of its method-specific id,
     * percent-decoded and without the port.
     *
     * @throws IllegalArgumentException when {@code did} is not a {@code did:web} DID
     */
    public static String didWebHost(String did) {
        if (did == null || !did.startsWith(DID_WEB_PREFIX) || did.length() == DID_WEB_PREFIX.length()) {
            throw new IllegalArgumentException("'%s' is not a did:web DID".formatted(did));
        }
        var methodSpecificId = did.substring(DID_WEB_PREFIX.length());
        var colon = methodSpecificId.indexOf(':');
        var encodedAuthority = colon < 0 ? methodSpecificId : methodSpecificId.substring(0, colon);
        var authority = URLDecoder.decode(encodedAuthority, UTF_8);
        if (authority.startsWith("[")) {
            var end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        var portSeparator = authority.lastIndexOf(':');
        return portSeparator < 0 ? authority : authority.substring(0, portSeparator);
    }
}
