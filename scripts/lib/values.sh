# Builders of the values files, cluster configuration and IAM policies that scripts/deploy
# applies. Each prints JSON (valid YAML as well) and reads only the variables named at its top.
# shellcheck shell=bash
# The constants are read by the scripts that source this file.
# shellcheck disable=SC2034

readonly TRACTUSX_CHART_REPO=https://eclipse-tractusx.github.io/charts/dev
readonly HASHICORP_CHART_REPO=https://helm.releases.hashicorp.com
readonly EKS_CHART_REPO=https://aws.github.io/eks-charts
readonly EXTERNAL_DNS_CHART_REPO=https://kubernetes-sigs.github.io/external-dns/

# Names of the objects inside each namespace.
readonly IDENTITY_RELEASE=dcp-identity
readonly CONNECTOR_RELEASE=connector
readonly VAULT_RELEASE=vault
readonly BDRS_RELEASE=bdrs-server
readonly STS_SECRET=dcp-identity-sts-client
readonly VAULT_INIT_SECRET=vault-init
readonly CONNECTOR_VAULT_TOKEN_SECRET=connector-vault-token
readonly CONNECTOR_KEYS_SECRET=connector-api-keys
readonly CONNECTOR_DB_SECRET=connector-postgresql-auth
readonly BDRS_DB_SECRET=bdrs-postgresql-auth
readonly TOKEN_SIGNER_PRIVATE_ALIAS=tokenSignerPrivateKey
readonly TOKEN_SIGNER_PUBLIC_ALIAS=tokenSignerPublicKey
readonly SAMPLE_DATA_NAME=sample-data

# Annotations shared by every Ingress: one internet-facing ALB for the cluster (IngressGroup),
# TLS with the ACM certificate, http redirected to https.
alb_annotations() {
  local order=$1 health_path=$2 health_port=$3
  jq -n --arg group "$CLUSTER" --arg certificate "$CERTIFICATE_ARN" --arg order "$order" \
    --arg health_path "$health_path" --arg health_port "$health_port" '{
      "alb.ingress.kubernetes.io/group.name": $group,
      "alb.ingress.kubernetes.io/group.order": $order,
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": "[{\"HTTP\":80},{\"HTTPS\":443}]",
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/certificate-arn": $certificate,
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
      "alb.ingress.kubernetes.io/healthcheck-path": $health_path,
      "alb.ingress.kubernetes.io/healthcheck-port": $health_port,
      "alb.ingress.kubernetes.io/success-codes": "200"
    }'
}

# eksctl ClusterConfig: a VPC over two zones, private managed nodes, the add-ons that need no IAM
# role of their own (the EBS CSI driver is added afterwards with its Pod Identity role).
cluster_config() {
  jq -n --arg name "$CLUSTER" --arg region "$REGION" --arg version "$KUBERNETES_VERSION" \
    --arg node_type "$NODE_TYPE" --argjson nodes "$NODE_COUNT" --arg nat "$NAT_MODE" '{
      apiVersion: "eksctl.io/v1alpha5",
      kind: "ClusterConfig",
      metadata: {name: $name, region: $region, version: $version,
                 tags: {"dcp-identity:cluster": $name}},
      availabilityZones: [($region + "a"), ($region + "b")],
      vpc: {cidr: "10.0.0.0/16", nat: {gateway: $nat},
            clusterEndpoints: {publicAccess: true, privateAccess: true}},
      accessConfig: {authenticationMode: "API"},
      addons: [
        {name: "vpc-cni", configurationValues: "{\"enableNetworkPolicy\":\"true\"}"},
        {name: "coredns"},
        {name: "kube-proxy"},
        {name: "eks-pod-identity-agent"},
        {name: "metrics-server"}
      ],
      managedNodeGroups: [{
        name: "general", instanceType: $node_type, amiFamily: "AmazonLinux2023",
        desiredCapacity: $nodes, minSize: $nodes, maxSize: ($nodes + 2),
        privateNetworking: true, volumeSize: 40, volumeType: "gp3", volumeEncrypted: true,
        disableIMDSv1: true, labels: {role: "general"},
        tags: {"dcp-identity:cluster": $name}
      }],
      cloudWatch: {clusterLogging: {enableTypes: ["api", "audit", "authenticator"]}}
    }'
}

# Default StorageClass for every PersistentVolumeClaim: encrypted gp3 EBS volumes, tagged so that
# scripts/destroy finds volumes left behind.
storage_class_manifest() {
  jq -n --arg cluster "$CLUSTER" '{
    apiVersion: "storage.k8s.io/v1", kind: "StorageClass",
    metadata: {name: "gp3", annotations: {"storageclass.kubernetes.io/is-default-class": "true"}},
    provisioner: "ebs.csi.aws.com",
    parameters: {type: "gp3", encrypted: "true", tagSpecification_1: ("dcp-identity:cluster=" + $cluster)},
    reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true
  }'
}

namespace_manifest() {
  local name=$1
  jq -n --arg name "$name" --arg cluster "$CLUSTER" '{
    apiVersion: "v1", kind: "Namespace",
    metadata: {name: $name, labels: {
      "app.kubernetes.io/part-of": "dcp-identity-deploy",
      "dcp-identity/cluster": $cluster,
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/warn": "restricted"}}
  }'
}

pod_identity_trust_policy() {
  jq -n '{Version: "2012-10-17", Statement: [{
    Effect: "Allow", Principal: {Service: "pods.eks.amazonaws.com"},
    Action: ["sts:AssumeRole", "sts:TagSession"]}]}'
}

# KMS permissions of dcp-identity. EKS Pod Identity tags each session with the cluster and the
# namespace, so one role limits every instance to the keys tagged with its own
# dcp-identity:instance value "<cluster>/<namespace>" and to aliases under its own prefix.
identity_kms_policy() {
  # shellcheck disable=SC2016 # IAM policy variables, not shell expansions.
  local instance='${aws:PrincipalTag/eks-cluster-name}/${aws:PrincipalTag/kubernetes-namespace}'
  jq -n --arg region "$REGION" --arg account "$ACCOUNT_ID" --arg instance "$instance" '{
    Version: "2012-10-17",
    Statement: [
      {Sid: "CreateKeysTaggedForThisInstance", Effect: "Allow",
       Action: ["kms:CreateKey", "kms:TagResource"], Resource: "*",
       Condition: {
         StringEquals: {"aws:RequestTag/dcp-identity:instance": $instance},
         "ForAllValues:StringLike": {"aws:TagKeys": ["dcp-identity:*"]}}},
      {Sid: "UseKeysTaggedForThisInstance", Effect: "Allow",
       Action: ["kms:Sign", "kms:Verify", "kms:GetPublicKey", "kms:DescribeKey",
                "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
                "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:ListResourceTags"],
       Resource: ("arn:aws:kms:" + $region + ":" + $account + ":key/*"),
       Condition: {StringEquals: {"aws:ResourceTag/dcp-identity:instance": $instance}}},
      {Sid: "ManageAliasesOfThisInstance", Effect: "Allow",
       Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
       Resource: [
         ("arn:aws:kms:" + $region + ":" + $account + ":alias/dcp-identity/" + $instance + "/*"),
         ("arn:aws:kms:" + $region + ":" + $account + ":key/*")],
       Condition: {StringEqualsIfExists: {"aws:ResourceTag/dcp-identity:instance": $instance}}},
      {Sid: "ListAliases", Effect: "Allow", Action: "kms:ListAliases", Resource: "*"}
    ]}'
}

# Vault auto-unseal: only the cluster's unseal key.
vault_kms_policy() {
  jq -n --arg region "$REGION" --arg account "$ACCOUNT_ID" --arg cluster "$CLUSTER" '{
    Version: "2012-10-17",
    Statement: [{Sid: "UnsealWithTheClusterKey", Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
      Resource: ("arn:aws:kms:" + $region + ":" + $account + ":key/*"),
      Condition: {StringEquals: {"aws:ResourceTag/dcp-identity:cluster": $cluster,
                                 "aws:ResourceTag/dcp-identity:purpose": "vault-unseal"}}}]}'
}

# ExternalDNS may change records in the domain's hosted zone only.
external_dns_policy() {
  jq -n --arg zone "$HOSTED_ZONE_ID" '{
    Version: "2012-10-17",
    Statement: [
      {Effect: "Allow", Action: "route53:ChangeResourceRecordSets",
       Resource: ("arn:aws:route53:::hostedzone/" + $zone)},
      {Effect: "Allow", Action: ["route53:ListHostedZones", "route53:ListResourceRecordSets",
                                  "route53:ListTagsForResource"], Resource: "*"}]}'
}

load_balancer_controller_values() {
  jq -n --arg cluster "$CLUSTER" --arg region "$REGION" --arg vpc "$VPC_ID" '{
    clusterName: $cluster, region: $region, vpcId: $vpc, replicaCount: 2,
    serviceAccount: {create: true, name: "aws-load-balancer-controller"},
    enableServiceMutatorWebhook: false
  }'
}

external_dns_values() {
  jq -n --arg domain "$DOMAIN" --arg cluster "$CLUSTER" --arg region "$REGION" --arg zone "$HOSTED_ZONE_ID" '{
    provider: {name: "aws"},
    policy: "sync",
    registry: "txt",
    txtOwnerId: $cluster,
    domainFilters: [$domain],
    sources: ["ingress"],
    extraArgs: ["--aws-zone-type=public", ("--zone-id-filter=" + $zone)],
    env: [{name: "AWS_DEFAULT_REGION", value: $region}],
    serviceAccount: {create: true, name: "external-dns"}
  }'
}

# Vault with file storage on a PersistentVolume, unsealed by AWS KMS at every start, so the
# connector's secrets survive pod restarts. TLS ends at the pod network boundary: plain http
# inside the cluster, as for every other in-cluster call here. The vault chart (0.28.0) puts
# "disable_mlock = true" in front of server.standalone.config itself, so the config leaves it
# out, because a second copy would be a duplicate HCL attribute.
# The awskms seal gets its credentials from EKS Pod Identity. Vault 1.16.1, the chart's image,
# builds its AWS credential chain with aws-sdk-go 1.50.13, which reads
# AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
vault_values() {
  local config
  config=$(printf '%s\n' \
    'ui = false' \
    'listener "tcp" {' \
    '  address = "[::]:8200"' \
    '  cluster_address = "[::]:8201"' \
    '  tls_disable = 1' \
    '}' \
    'storage "file" {' \
    '  path = "/vault/data"' \
    '}' \
    'seal "awskms" {' \
    "  region = \"$REGION\"" \
    "  kms_key_id = \"$VAULT_UNSEAL_ALIAS\"" \
    '}')
  jq -n --arg config "$config" '{
    injector: {enabled: false},
    ui: {enabled: false},
    server: {
      dev: {enabled: false},
      standalone: {enabled: true, config: $config},
      dataStorage: {enabled: true, size: "2Gi", storageClass: "gp3"},
      auditStorage: {enabled: false},
      serviceAccount: {create: true, name: "vault"},
      resources: {requests: {cpu: "50m", memory: "128Mi"}, limits: {memory: "256Mi"}}
    }
  }'
}

identity_ingress() {
  local host=$1
  jq -n --arg host "$host" --argjson annotations "$(alb_annotations 20 /.well-known/did.json traffic-port)" '{
    enabled: true, className: "alb", annotations: $annotations,
    hosts: [{host: $host, paths: [{path: "/", pathType: "Prefix"}]}]
  }'
}

# Values of this repository's chart, shared by the authority and the participants.
identity_common_values() {
  local namespace=$1 host=$2
  jq -n --arg repository "$IMAGE_REPOSITORY" --arg tag "$IMAGE_TAG" --arg base "https://$host" \
    --arg region "$REGION" --arg instance "$CLUSTER/$namespace" \
    --arg alias_prefix "alias/dcp-identity/$CLUSTER/$namespace" --argjson window "$KMS_DELETION_WINDOW_DAYS" \
    --argjson ingress "$(identity_ingress "$host")" --arg release "$IDENTITY_RELEASE" '{
      fullnameOverride: $release,
      image: {repository: $repository, tag: $tag},
      replicaCount: 2,
      publicBaseUrl: $base,
      keyCustody: {mode: "aws-kms",
                   kms: {region: $region, instanceTag: $instance, aliasPrefix: $alias_prefix,
                         deletionWindowDays: $window}},
      database: {url: "", existingSecret: ""},
      postgresql: {enabled: true, persistence: {storageClass: "gp3", size: "8Gi"}},
      serviceAccount: {create: true, name: $release},
      ingress: $ingress,
      networkPolicy: {enabled: true},
      podDisruptionBudget: {enabled: true, maxUnavailable: 1}
    }'
}

authority_identity_values() {
  local holders
  holders=$(participant_holders)
  identity_common_values "$AUTHORITY_NAMESPACE" "issuer.$DOMAIN" |
    jq --arg did "$ISSUER_DID" --argjson holders "$holders" '. + {seed: {participants: [{
      id: "authority", did: $did, displayName: "Data space authority", roles: ["issuer"],
      keys: [{usages: ["sign_token", "sign_credentials"], custody: "aws-kms", algorithm: "ES256"}],
      credentialDefinitions: ["tractus-x"],
      holders: $holders}]}}'
}

participant_holders() {
  local name
  for name in "${PARTICIPANTS[@]}"; do
    jq -n --arg did "$(participant_did "$name")" --arg display "$(display_name "$name")" \
      --arg bpn "${BPNS[$name]}" '{did: $did, name: $display, attributes: {bpn: $bpn}}'
  done | jq -s .
}

participant_identity_values() {
  local name=$1 did
  did=$(participant_did "$name")
  identity_common_values "$name" "$name.$DOMAIN" |
    jq --arg id "$name" --arg did "$did" --arg display "$(display_name "$name")" --arg issuer "$ISSUER_DID" \
      --arg sts_secret "$STS_SECRET" '. + {
      secretFiles: {existingSecret: $sts_secret},
      seed: {participants: [{
        id: $id, did: $did, displayName: $display, roles: ["holder"],
        keys: [{usages: ["sign_token", "sign_presentation"], custody: "aws-kms", algorithm: "ES256"}],
        sts: {clientId: $did, clientSecretFile: "/var/run/secrets/dcp-identity/sts-client-secret"},
        trustedIssuers: [$issuer],
        credentialRequests: [{issuerDid: $issuer,
          credentialTypes: ["MembershipCredential", "BpnCredential", "DataExchangeGovernanceCredential"]}]
      }]}}'
}

# Values of the tractusx-connector chart. Two layouts: "iatp" (0.9 to 0.12: participant.id is the
# BPN, iatp.id the DID) and "dcp" (0.13 and later: participant.id is the DID, participant.bpnl the
# BPN). Secrets reach the pods from Kubernetes Secrets through envValueFrom. The chart's own secret
# values only hold placeholders, because Kubernetes uses the last of two variables with one name.
connector_values() {
  local name=$1 did host sts_url layout_values
  did=$(participant_did "$name")
  host="$name.$DOMAIN"
  sts_url="http://$IDENTITY_RELEASE-internal.$name.svc.cluster.local:8081/sts/token"

  local sts
  sts=$(jq -n --arg url "$sts_url" --arg did "$did" \
    '{oauth: {token_url: $url, client: {id: $did, secret_alias: ($did + "-sts-client-secret")}}}')

  case "$CONNECTOR_LAYOUT" in
    iatp)
      layout_values=$(jq -n --arg did "$did" --arg bpn "${BPNS[$name]}" --arg issuer "$ISSUER_DID" \
        --argjson sts "$sts" --arg context "$(participant_context_id "$name")" --arg version "$CONNECTOR_VERSION" '
        {participant: {id: $bpn}, iatp: {id: $did, trustedIssuers: [$issuer], sts: ($sts + {dim: {url: ""}})}}
        | if ($version | test("^0\\.12\\.")) then .participant.contextId = $context else . end')
      ;;
    dcp)
      layout_values=$(jq -n --arg did "$did" --arg bpn "${BPNS[$name]}" --arg issuer "$ISSUER_DID" \
        --argjson sts "$sts" --arg context "$(participant_context_id "$name")" '
        {participant: {id: $did, bpnl: $bpn, contextId: $context},
         dcp: {trustedIssuers: [$issuer], sts: ($sts + {div: {url: ""}})}}')
      ;;
    *) die "unknown connector layout $CONNECTOR_LAYOUT" ;;
  esac

  # The chart passes the management API key in EDC_API_AUTH_KEY in 0.9.x and in
  # WEB_HTTP_MANAGEMENT_AUTH_KEY from 0.10.1 and 0.11.1 on. Charts 0.10.0 and 0.11.0 use
  # EDC_HTTP_MANAGEMENT_AUTH_KEY and set no auth type, and EDC 0.13 and 0.14 then leave the
  # management API without authentication. For them the values add WEB_HTTP_MANAGEMENT_AUTH_KEY
  # and WEB_HTTP_MANAGEMENT_AUTH_TYPE. EDC_API_AUTH_KEY is set for 0.9.x only, because EDC 0.13
  # and later stop at start when edc.api.auth.key is set.
  # Charts 0.9 to 0.12 also emit the catalog API key (controlplane.endpoints.catalog.authKey,
  # default "password"). They bundle Bitnami PostgreSQL 15.2.1 and pass its user password as a
  # plain value.
  local management_key_variable=WEB_HTTP_MANAGEMENT_AUTH_KEY management_auth_fixed=true
  local catalog_endpoint=false bitnami_postgresql=false
  case "$CONNECTOR_VERSION" in
    0.9.*) management_key_variable=EDC_API_AUTH_KEY ;;
    0.10.0 | 0.10.0-* | 0.11.0 | 0.11.0-*)
      management_key_variable=EDC_HTTP_MANAGEMENT_AUTH_KEY
      management_auth_fixed=false
      ;;
  esac
  case "$CONNECTOR_VERSION" in
    0.9.* | 0.10.* | 0.11.* | 0.12.*)
      catalog_endpoint=true
      bitnami_postgresql=true
      ;;
  esac

  jq -n --argjson layout "$layout_values" --arg host "$host" --arg release "$CONNECTOR_RELEASE" \
    --arg bdrs "$BPN_DIRECTORY_URL" \
    --arg management_key_variable "$management_key_variable" \
    --argjson management_auth_fixed "$management_auth_fixed" \
    --argjson catalog_endpoint "$catalog_endpoint" --argjson bitnami_postgresql "$bitnami_postgresql" \
    --arg vault_url "http://$VAULT_RELEASE.$name.svc.cluster.local:8200" \
    --arg vault_secret "$CONNECTOR_VAULT_TOKEN_SECRET" --arg keys_secret "$CONNECTOR_KEYS_SECRET" \
    --arg db_secret "$CONNECTOR_DB_SECRET" \
    --arg signer "$TOKEN_SIGNER_PRIVATE_ALIAS" --arg verifier "$TOKEN_SIGNER_PUBLIC_ALIAS" \
    --argjson annotations "$(alb_annotations 10 /api/check/liveness 8080)" '
    def from_secret($secret; $key): {secretKeyRef: {name: $secret, key: $key}};
    from_secret($keys_secret; "management-api-key") as $management_key
    | {EDC_VAULT_HASHICORP_TOKEN: from_secret($vault_secret; "token")} as $vault_env
    | (if $bitnami_postgresql
       then {EDC_DATASOURCE_DEFAULT_PASSWORD: from_secret($db_secret; "password")}
       else {} end) as $database_env
    | ({($management_key_variable): $management_key}
       + (if $management_auth_fixed then {} else {WEB_HTTP_MANAGEMENT_AUTH_KEY: $management_key} end)
       + (if $catalog_endpoint then {WEB_HTTP_CATALOG_AUTH_KEY: $management_key} else {} end)) as $management_env
    | $layout + {
      fullnameOverride: $release,
      install: {postgresql: true, vault: false},
      controlplane: ({
        debug: {enabled: false},
        url: {protocol: ("https://" + $host)},
        bdrs: {server: {url: $bdrs}, cache_validity_seconds: 600},
        endpoints: ({management: {authKey: "set-from-secret"}}
                    + if $catalog_endpoint then {catalog: {authKey: "set-from-secret"}} else {} end),
        envValueFrom: ($vault_env + $management_env + $database_env),
        ingresses: [{enabled: true, hostname: $host, endpoints: ["protocol"], className: "alb",
                     annotations: $annotations, tls: {enabled: false}}]
      } + if $management_auth_fixed then {} else {env: {WEB_HTTP_MANAGEMENT_AUTH_TYPE: "tokenbased"}} end),
      dataplane: {
        debug: {enabled: false},
        url: {public: ("https://" + $host + "/api/public")},
        token: {signer: {privatekey_alias: $signer}, verifier: {publickey_alias: $verifier}},
        endpoints: {proxy: {authKey: "set-from-secret"}},
        envValueFrom: ($vault_env + $database_env
          + {TX_EDC_DPF_CONSUMER_PROXY_AUTH_APIKEY: from_secret($keys_secret; "proxy-api-key")}),
        ingresses: [{enabled: true, hostname: $host, endpoints: ["public"], className: "alb",
                     annotations: $annotations, tls: {enabled: false}}]
      },
      vault: {hashicorp: {url: $vault_url, token: "set-from-secret"}},
      postgresql: (if $bitnami_postgresql then {
          # Bitnami removed the versioned images from docker.io/bitnami in 2025 and keeps them,
          # without updates, in docker.io/bitnamilegacy.
          # NOTE: whether bitnamilegacy has the tag of the chart (16.2.0-debian-12-r10) is unverified.
          image: {repository: "bitnamilegacy/postgresql"},
          auth: {username: "edc", database: "edc", password: "set-from-secret", existingSecret: $db_secret,
                 secretKeys: {adminPasswordKey: "postgres-password", userPasswordKey: "password"}},
          primary: {persistence: {enabled: true, storageClass: "gp3", size: "10Gi"}}}
        else {
          # The CloudPirates postgres chart (0.18.3) reads only the admin password from the
          # Secret. The connector chart reads the user name and database from its "username"
          # and "database" keys.
          auth: {username: "postgres", database: "edc", password: "", existingSecret: $db_secret,
                 secretKeys: {adminPasswordKey: "postgres-password"}},
          customUser: {name: "", existingSecret: ""},
          persistence: {enabled: true, storageClass: "gp3", size: "10Gi"}}
        end)
    }'
}

# Values of the Tractus-X bdrs-server chart: persistent PostgreSQL, the authority's Vault for
# the management API key and database credentials, the directory API on the public ALB.
bdrs_values() {
  jq -n --arg issuer "$ISSUER_DID" --arg host "bdrs.$DOMAIN" \
    --arg vault_url "http://$VAULT_RELEASE.$AUTHORITY_NAMESPACE.svc.cluster.local:8200" \
    --arg vault_secret "$CONNECTOR_VAULT_TOKEN_SECRET" --arg db_secret "$BDRS_DB_SECRET" \
    --argjson annotations "$(alb_annotations 10 /api/check/liveness 8080)" '{
      install: {postgresql: true, vault: false},
      server: {
        debug: {enabled: false},
        trustedIssuers: [$issuer],
        endpoints: {management: {authKeyAlias: "mgmt-api-key", authType: "tokenbased"}},
        envValueFrom: {EDC_VAULT_HASHICORP_TOKEN: {secretKeyRef: {name: $vault_secret, key: "token"}}},
        ingresses: [{enabled: true, hostname: $host, endpoints: ["directory"], className: "alb",
                     annotations: $annotations, tls: {enabled: false}}]
      },
      vault: {hashicorp: {url: $vault_url, token: "set-from-secret"}},
      postgresql: {
        jdbcUrl: "jdbc:postgresql://{{ .Release.Name }}-postgresql:5432/bdrs",
        auth: {username: "postgres", database: "bdrs", password: "", existingSecret: $db_secret,
               secretKeys: {adminPasswordKey: "postgres-password"}},
        persistence: {enabled: true, storageClass: "gp3", size: "4Gi"}
      }
    }'
}

# A small web server in the provider's namespace that serves the carbon-emissions dataset to the
# provider's data plane; it is not exposed outside the cluster.
sample_data_manifests() {
  local namespace=$1 data_file=$2
  jq -n --arg namespace "$namespace" --arg name "$SAMPLE_DATA_NAME" --rawfile data "$data_file" '
    {apiVersion: "v1", kind: "List", items: [
      {apiVersion: "v1", kind: "ConfigMap", metadata: {name: $name, namespace: $namespace},
       data: {"carbon_emissions_data.json": $data}},
      {apiVersion: "apps/v1", kind: "Deployment", metadata: {name: $name, namespace: $namespace},
       spec: {replicas: 1, selector: {matchLabels: {app: $name}},
         template: {metadata: {labels: {app: $name}}, spec: {
           automountServiceAccountToken: false,
           securityContext: {runAsNonRoot: true, runAsUser: 101, seccompProfile: {type: "RuntimeDefault"}},
           containers: [{name: "web", image: "docker.io/nginxinc/nginx-unprivileged:1.27-alpine",
             ports: [{name: "http", containerPort: 8080}],
             securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
                               capabilities: {drop: ["ALL"]}},
             readinessProbe: {httpGet: {path: "/carbon_emissions_data.json", port: "http"}},
             resources: {requests: {cpu: "10m", memory: "16Mi"}, limits: {memory: "64Mi"}},
             volumeMounts: [{name: "data", mountPath: "/usr/share/nginx/html", readOnly: true},
                            {name: "tmp", mountPath: "/tmp"}]}],
           volumes: [{name: "data", configMap: {name: $name}}, {name: "tmp", emptyDir: {}}]}}}},
      {apiVersion: "v1", kind: "Service", metadata: {name: $name, namespace: $namespace},
       spec: {selector: {app: $name}, ports: [{name: "http", port: 80, targetPort: "http"}]}}
    ]}'
}
