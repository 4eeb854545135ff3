package dcpidentity.conformance;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A default proxy selector that lets HTTP clients connect directly to loopback hosts and throws
 * {@link BlockedDestinationException} for every other host.
 *
 * <p>The TCK (1.0.0-RC6) sends all its requests with {@code new OkHttpClient()}. OkHttp calls
 * {@link ProxySelector#getDefault()} for every new connection before it resolves the host name,
 * so installing this selector first keeps the TCK's traffic, DNS look-ups included, on the
 * machine. That covers URLs the TCK takes from DID documents of the system under test. Clients
 * that ignore the default proxy selector are not covered.
 */
public final class LoopbackOnlyProxySelector extends ProxySelector {
    private final Set<String> blockedUris = new ConcurrentSkipListSet<>();

    @Override
    public List<Proxy> select(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("uri must not be null");
        }
        if (!LoopbackHosts.isLoopback(uri.getHost())) {
            var target = uri.getScheme() + "://" + uri.getRawAuthority();
            blockedUris.add(target);
            throw new BlockedDestinationException(target);
        }
        return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // Direct connections have no alternative route to report a failure to.
    }

    /** Returns the scheme and authority of every destination blocked so far, sorted. */
    public List<String> blockedDestinations() {
        return List.copyOf(blockedUris);
    }

    /** Thrown instead of connecting to a host that is not loopback. */
    public static final class BlockedDestinationException extends SecurityException {
        BlockedDestinationException(String target) {
            super(("Blocked a connection to %s: the conformance harness lets the TCK reach loopback"
                    + " hosts only (localhost, 127.0.0.0/8, ::1). Check the DIDs and the service"
                    + " endpoints in the DID documents of the system under test.").formatted(target));
        }
    }
}
