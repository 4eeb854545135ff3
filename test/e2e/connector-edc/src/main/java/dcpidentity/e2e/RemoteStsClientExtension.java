package dcpidentity.e2e;

import org.eclipse.edc.iam.decentralizedclaims.spi.SecureTokenService;
import org.eclipse.edc.iam.decentralizedclaims.sts.remote.RemoteSecureTokenService;
import org.eclipse.edc.iam.decentralizedclaims.sts.remote.StsRemoteClientConfiguration;
import org.eclipse.edc.iam.oauth2.spi.client.Oauth2Client;
import org.eclipse.edc.participantcontext.spi.config.ParticipantContextConfig;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;

/**
 * Provides EDC's remote STS client, which fetches self-issued ID tokens with an OAuth2
 * client_credentials grant. It reads the settings of EDC's own remote STS client extension
 * ({@code edc.iam.sts.oauth.token.url}, {@code .client.id}, {@code .client.secret.alias}), whose jar
 * Maven Central does not serve at 0.15.x, while the library behind it is served.
 */
@Extension(RemoteStsClientExtension.NAME)
public class RemoteStsClientExtension implements ServiceExtension {

    public static final String NAME = "Remote STS client from configuration";

    static final String TOKEN_URL = "edc.iam.sts.oauth.token.url";
    static final String CLIENT_ID = "edc.iam.sts.oauth.client.id";
    static final String CLIENT_SECRET_ALIAS = "edc.iam.sts.oauth.client.secret.alias";

    @Inject
    private Oauth2Client oauth2Client;

    @Inject
    private ParticipantContextConfig participantContextConfig;

    @Inject
    private Vault vault;

    @Override
    public String name() {
        return NAME;
    }

    @Provider
    public SecureTokenService secureTokenService() {
        return new RemoteSecureTokenService(oauth2Client, this::configurationOf, vault);
    }

    private StsRemoteClientConfiguration configurationOf(String participantContextId) {
        return new StsRemoteClientConfiguration(
                participantContextConfig.getString(participantContextId, TOKEN_URL),
                participantContextConfig.getString(participantContextId, CLIENT_ID),
                participantContextConfig.getString(participantContextId, CLIENT_SECRET_ALIAS));
    }
}
