package dcpidentity.e2e;

import org.eclipse.edc.policy.context.request.spi.RequestCatalogPolicyContext;
import org.eclipse.edc.policy.context.request.spi.RequestContractNegotiationPolicyContext;
import org.eclipse.edc.policy.context.request.spi.RequestPolicyContext;
import org.eclipse.edc.policy.context.request.spi.RequestTransferProcessPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.List;

/**
 * Adds configured DCP scopes to the request scope of every catalog, negotiation and transfer
 * request, even when the policy names no credential. EDC evaluates these policy contexts on both
 * sides: the sender's access token grants the scopes, and the receiver queries the sender's wallet
 * for them.
 *
 * <p>EDC 0.16 reads such scopes from {@code edc.iam.dcp.scopes.<alias>.id}, {@code .type=DEFAULT}
 * and {@code .value}; EDC 0.15 has no such setting. This extension reads the same names, so the
 * connector settings stay valid on a newer EDC without it. Only {@code DEFAULT} scopes are
 * supported.
 */
@Extension(DefaultScopeExtension.NAME)
public class DefaultScopeExtension implements ServiceExtension {

    public static final String NAME = "Default DCP scopes from configuration";

    static final String SCOPES_SETTING = "edc.iam.dcp.scopes";

    @Inject
    private PolicyEngine policyEngine;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var scopes = context.getConfig(SCOPES_SETTING).partition()
                .map(entry -> {
                    var alias = entry.currentNode();
                    var type = entry.getString("type", "DEFAULT");
                    if (!"DEFAULT".equals(type)) {
                        throw new EdcException("Unsupported " + SCOPES_SETTING + "." + alias + ".type: " + type
                                + "; only DEFAULT is supported");
                    }
                    return entry.getString("value");
                })
                .toList();
        policyEngine.registerPostValidator(RequestCatalogPolicyContext.class, (policy, policyContext) -> addScopes(scopes, policyContext));
        policyEngine.registerPostValidator(RequestContractNegotiationPolicyContext.class, (policy, policyContext) -> addScopes(scopes, policyContext));
        policyEngine.registerPostValidator(RequestTransferProcessPolicyContext.class, (policy, policyContext) -> addScopes(scopes, policyContext));
        context.getMonitor().info(NAME + ": " + String.join(", ", scopes));
    }

    private static boolean addScopes(List<String> scopes, RequestPolicyContext policyContext) {
        var builder = policyContext.requestScopeBuilder();
        scopes.forEach(builder::scope);
        return true;
    }
}
