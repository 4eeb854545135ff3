{{/* Chart name, cut to the 63 characters a DNS label allows. */}}
{{- define "dcp-identity.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects; suffixes such as -internal stay within 63 characters. */}}
{{- define "dcp-identity.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "dcp-identity.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dcp-identity.labels" -}}
helm.sh/chart: {{ include "dcp-identity.chart" . }}
{{ include "dcp-identity.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "dcp-identity.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dcp-identity.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "dcp-identity.serverSelectorLabels" -}}
{{ include "dcp-identity.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "dcp-identity.postgresqlSelectorLabels" -}}
{{ include "dcp-identity.selectorLabels" . }}
app.kubernetes.io/component: postgresql
{{- end }}

{{- define "dcp-identity.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dcp-identity.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "dcp-identity.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name and key of the Secret that holds the admin token. */}}
{{- define "dcp-identity.adminTokenSecretName" -}}
{{- default (printf "%s-admin-token" (include "dcp-identity.fullname" .)) .Values.adminToken.existingSecret }}
{{- end }}
{{- define "dcp-identity.adminTokenSecretKey" -}}
{{- ternary .Values.adminToken.existingSecretKey "admin-token" (ne .Values.adminToken.existingSecret "") }}
{{- end }}

{{- define "dcp-identity.masterKeySecretName" -}}
{{- default (printf "%s-master-key" (include "dcp-identity.fullname" .)) .Values.keyCustody.masterKey.existingSecret }}
{{- end }}
{{- define "dcp-identity.masterKeySecretKey" -}}
{{- ternary .Values.keyCustody.masterKey.existingSecretKey "master-key" (ne .Values.keyCustody.masterKey.existingSecret "") }}
{{- end }}
{{- define "dcp-identity.usesMasterKey" -}}
{{- if or (eq .Values.keyCustody.mode "local") .Values.keyCustody.masterKey.existingSecret .Values.keyCustody.masterKey.value }}true{{- end }}
{{- end }}

{{- define "dcp-identity.databaseSecretName" -}}
{{- default (printf "%s-database" (include "dcp-identity.fullname" .)) .Values.database.existingSecret }}
{{- end }}
{{- define "dcp-identity.databaseSecretKey" -}}
{{- ternary .Values.database.existingSecretKey "database-url" (ne .Values.database.existingSecret "") }}
{{- end }}

{{- define "dcp-identity.postgresqlFullname" -}}
{{- printf "%s-postgresql" (include "dcp-identity.fullname" .) }}
{{- end }}
{{- define "dcp-identity.postgresqlSecretName" -}}
{{- default (include "dcp-identity.postgresqlFullname" .) .Values.postgresql.auth.existingSecret }}
{{- end }}
{{- define "dcp-identity.postgresqlSecretKey" -}}
{{- ternary .Values.postgresql.auth.existingSecretKey "password" (ne .Values.postgresql.auth.existingSecret "") }}
{{- end }}

{{- define "dcp-identity.secretFilesSecretName" -}}
{{- default (printf "%s-files" (include "dcp-identity.fullname" .)) .Values.secretFiles.existingSecret }}
{{- end }}
{{- define "dcp-identity.hasSecretFiles" -}}
{{- if or .Values.secretFiles.existingSecret .Values.secretFiles.data }}true{{- end }}
{{- end }}

{{/*
Returns the existing value of a key of a Secret in the release namespace, or a new random string
of the given length. Reusing the stored value keeps generated credentials stable across upgrades;
`helm template` sees no cluster, so it always renders a new value.
*/}}
{{- define "dcp-identity.stableRandom" -}}
{{- $secret := lookup "v1" "Secret" .context.Release.Namespace .name }}
{{- if and $secret $secret.data (hasKey $secret.data .key) }}
{{- index $secret.data .key | b64dec }}
{{- else }}
{{- randAlphaNum (int .length) }}
{{- end }}
{{- end }}

{{/* Stops rendering on combinations the values schema cannot express. */}}
{{- define "dcp-identity.validate" -}}
{{- if eq (int .Values.ports.public) (int .Values.ports.internal) }}
{{- fail (printf "ports.internal: %v equals ports.public; expected two different ports" .Values.ports.internal) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail (printf "autoscaling.minReplicas: %v is greater than autoscaling.maxReplicas %v" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not .Values.autoscaling.targetCPUUtilizationPercentage) (not .Values.autoscaling.targetMemoryUtilizationPercentage) }}
{{- fail "autoscaling: set targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage above 0" }}
{{- end }}
{{- end }}
