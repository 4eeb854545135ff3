package dcpidentity.e2e;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Stores secrets from configuration in the in-memory vault, as Tractus-X EDC's memory runtime does.
 * The setting has the form {@code alias1:secret1;alias2:secret2}; each entry is split at its first
 * colon, so a secret may contain colons but no semicolon.
 */
@Extension(VaultSeedExtension.NAME)
public class VaultSeedExtension implements ServiceExtension {

    public static final String NAME = "Vault seed from configuration";

    /** The setting name of Tractus-X EDC's memory runtime, so its configuration files work unchanged. */
    static final String SECRETS_SETTING = "tx.edc.vault.secrets";

    @Inject
    private Vault vault;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var secrets = context.getSetting(SECRETS_SETTING, "");
        var stored = 0;
        for (var entry : secrets.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            var colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new EdcException("Invalid entry in " + SECRETS_SETTING
                        + ": expected alias:secret, got an entry without alias");
            }
            var result = vault.storeSecret(entry.substring(0, colon).trim(), entry.substring(colon + 1));
            if (result.failed()) {
                throw new EdcException("Storing a secret from " + SECRETS_SETTING + " failed: "
                        + result.getFailureDetail());
            }
            stored++;
        }
        context.getMonitor().info(NAME + ": stored " + stored + " secret(s)");
    }
}
