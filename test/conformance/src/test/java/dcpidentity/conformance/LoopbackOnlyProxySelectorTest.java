package dcpidentity.conformance;

import com.sun.net.httpserver.HttpServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackOnlyProxySelectorTest {
    private final ProxySelector previousDefault = ProxySelector.getDefault();

    @AfterEach
    void restoreDefaultSelector() {
        ProxySelector.setDefault(previousDefault);
    }

    @Test
    void loopbackUriGoesDirect() {
        var selector = new LoopbackOnlyProxySelector();

        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("http://localhost:8080/holder/did.json")));
        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("http://127.0.0.1:8081/sts/token")));
        assertTrue(selector.blockedDestinations().isEmpty());
    }

    @Test
    void remoteUriBlockedAndRecorded() {
        var selector = new LoopbackOnlyProxySelector();

        var blocked = assertThrows(LoopbackOnlyProxySelector.BlockedDestinationException.class,
                () -> selector.select(URI.create("https://issuer.example.com:8443/credentials")));

        assertTrue(blocked.getMessage().contains("https://issuer.example.com:8443"), blocked.getMessage());
        assertEquals(List.of("https://issuer.example.com:8443"), selector.blockedDestinations());
    }

    /**
     * Mirrors how the TCK creates its clients: {@code new OkHttpClient()} after the selector is the
     * default. The DNS resolver and socket factory record any use, so the test fails without sending
     * a packet if OkHttp ever reached them for the remote host.
     */
    @Test
    void okHttpBlockedBeforeDnsLookup() {
        ProxySelector.setDefault(new LoopbackOnlyProxySelector());
        var lookups = new CopyOnWriteArrayList<String>();
        var client = new OkHttpClient().newBuilder()
                .dns(hostname -> {
                    lookups.add(hostname);
                    throw new UnknownHostException("lookups are disabled in this test: " + hostname);
                })
                .socketFactory(new RefusingSocketFactory())
                .build();
        var request = new Request.Builder().url("http://credential-service.example/presentations/query").build();

        assertThrows(LoopbackOnlyProxySelector.BlockedDestinationException.class,
                () -> client.newCall(request).execute().close());
        assertEquals(List.of(), lookups);
    }

    @Test
    void okHttpReachesLoopbackServer() throws IOException {
        ProxySelector.setDefault(new LoopbackOnlyProxySelector());
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            var url = "http://127.0.0.1:%d/holder/did.json".formatted(server.getAddress().getPort());
            try (var response = new OkHttpClient().newCall(new Request.Builder().url(url).build()).execute()) {
                assertEquals(204, response.code());
            }
        } finally {
            server.stop(0);
        }
    }

    /** Fails every connection attempt, as a safety net should the selector let one through. */
    private static final class RefusingSocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            throw new IOException("sockets are disabled in this test");
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return createSocket();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return createSocket();
        }
    }
}
