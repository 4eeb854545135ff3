package dcpidentity.conformance;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackHostsTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]",
            "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]"})
    void loopbackHostsAccepted(String host) {
        assertTrue(LoopbackHosts.isLoopback(host), host);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "example.com", "localhost.example.com", "my-localhost", "10.0.0.1", "192.168.1.10",
            "169.254.169.254", "0.0.0.0", "128.0.0.1", "127.0.0.256", "::", "[::2]", "::ffff:10.0.0.1", "fe80::1"})
    void otherHostsRejected(String host) {
        assertFalse(LoopbackHosts.isLoopback(host), String.valueOf(host));
    }

    @ParameterizedTest
    @CsvSource({
            "did:web:localhost%3A8080:holder, localhost",
            "did:web:localhost:holder, localhost",
            "did:web:127.0.0.1%3A8083, 127.0.0.1",
            "did:web:example.com, example.com",
            "did:web:example.com:user:alice, example.com",
            "did:web:%5B%3A%3A1%5D%3A8080:holder, [::1]"
    })
    void didWebHostExtracted(String did, String expectedHost) {
        assertEquals(expectedHost, LoopbackHosts.didWebHost(did));
    }

    @ParameterizedTest
    @ValueSource(strings = {"did:key:z6Mkabc", "did:web:", "https://localhost/holder", "web:localhost"})
    void didWebHostRejectsOtherIdentifiers(String did) {
        assertThrows(IllegalArgumentException.class, () -> LoopbackHosts.didWebHost(did));
    }
}
