{{/*
Shared templates of the Clipflow chart. Every per-service object (Deployment, Service, ConfigMap,
ServiceAccount, PDB, HPA, NetworkPolicy, ...) loops over .Values.services and calls these helpers,
so the five services differ only by their values, never by copied YAML.

Most helpers take a "context" dict: (dict "root" $ "name" $name "svc" $svc).
*/}}

{{- define "clipflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "clipflow.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "clipflow.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of a service's objects: (list $ "catalog-service") */}}
{{- define "clipflow.serviceFullname" -}}
{{- $root := index . 0 }}
{{- printf "%s-%s" (include "clipflow.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object of the release. */}}
{{- define "clipflow.labels" -}}
helm.sh/chart: {{ include "clipflow.chart" . }}
app.kubernetes.io/name: {{ include "clipflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: clipflow
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one service's pods: (list $ "catalog-service") */}}
{{- define "clipflow.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "clipflow.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* All labels of one service's objects: (list $ "catalog-service") */}}
{{- define "clipflow.serviceLabels" -}}
{{ include "clipflow.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Namespace of the release's objects. */}}
{{- define "clipflow.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{/* In-cluster base URL of a service: (list $ "quota-service") -> http://<name>.<ns>.svc:<port> */}}
{{- define "clipflow.serviceUrl" -}}
{{- $root := index . 0 }}
{{- printf "http://%s.%s.svc:%v" (include "clipflow.serviceFullname" .) (include "clipflow.namespace" $root) $root.Values.service.port }}
{{- end }}

{{/* Whether a service uses a dependency: (list $svc "postgresql") -> "true" or "" */}}
{{- define "clipflow.uses" -}}
{{- if has (index . 1) ((index . 0).uses | default list) }}true{{ end }}
{{- end }}

{{/* Image reference of a service: context dict. Native images carry the "-native" tag suffix. */}}
{{- define "clipflow.image" -}}
{{- $root := .root }}
{{- $img := $root.Values.image }}
{{- $svcImg := .svc.image | default dict }}
{{- $repo := printf "%s/%s" $img.repository ($svcImg.name | default .name) }}
{{- if $img.registry }}{{ $repo = printf "%s/%s" $img.registry $repo }}{{ end }}
{{- $tag := $svcImg.tag | default $img.tag | default $root.Chart.AppVersion }}
{{- if eq $img.flavor "native" }}{{ $tag = printf "%s-native" $tag }}{{ end }}
{{- if $img.digests }}{{- $digest := index $img.digests .name }}{{- if $digest }}
{{- printf "%s@%s" $repo $digest }}
{{- else }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}
{{- else }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}
{{- end }}

{{/* JWKS URL the services other than auth-service verify tokens with. */}}
{{- define "clipflow.jwksUrl" -}}
{{- $root := .root }}
{{- if $root.Values.jwt.jwksUrl }}
{{- $root.Values.jwt.jwksUrl }}
{{- else }}
{{- printf "%s/api/auth/jwks" (include "clipflow.serviceUrl" (list $root "auth-service")) }}
{{- end }}
{{- end }}

{{/* Where users reach the platform: publicBaseUrl, else the Ingress host. */}}
{{- define "clipflow.publicBaseUrl" -}}
{{- if .Values.publicBaseUrl }}
{{- .Values.publicBaseUrl }}
{{- else }}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host }}
{{- end }}
{{- end }}

{{/* Mount paths of auth-service's Secrets (read as folders: the keys are file names). */}}
{{- define "clipflow.jwtKeyDir" -}}/var/run/secrets/clipflow/jwt{{- end }}
{{- define "clipflow.serviceClientDir" -}}/var/run/secrets/clipflow/service-clients{{- end }}

{{/* Bytes of a Kubernetes quantity in binary or decimal units (20Gi, 512Mi, 10G, 1000). */}}
{{- define "clipflow.bytes" -}}
{{- $q := toString . }}
{{- $num := int64 (regexFind "^[0-9]+" $q) }}
{{- $unit := trimPrefix (toString $num) $q }}
{{- $factors := dict "" 1 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 }}
{{- if not (hasKey $factors $unit) }}{{ fail (printf "cannot read the size %q (use Ki, Mi, Gi or Ti)" $q) }}{{ end }}
{{- mul $num (index $factors $unit) }}
{{- end }}

{{/* Most pods of a service at once: max replicas of its autoscaler (or replicas), plus the 25 % surge of a rollout. */}}
{{- define "clipflow.maxPods" -}}
{{- $svc := . }}
{{- $max := $svc.replicas }}
{{- if and $svc.keda $svc.keda.enabled }}{{ $max = $svc.keda.maxReplicas }}
{{- else if $svc.autoscaling.enabled }}{{ $max = $svc.autoscaling.maxReplicas }}{{ end }}
{{- add $max (div (add $max 3) 4) }}
{{- end }}

{{/*
Non-secret environment of a service (the data of its ConfigMap), as YAML. Secrets never appear
here: they come in as secretKeyRef (see clipflow.secretEnv).
*/}}
{{- define "clipflow.configData" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $svc := .svc }}
{{- $data := dict }}
{{- $_ := set $data "QUARKUS_HTTP_PORT" (toString $v.containerPort) }}
{{- $_ := set $data "CLIPFLOW_JWT_ISSUER" $v.jwt.issuer }}
{{- with ($v.cors | default dict).allowedOrigins }}{{ $_ := set $data "CLIPFLOW_CORS_ORIGINS" (join "," .) }}{{ end }}
{{- $_ := set $data "QUARKUS_SHUTDOWN_TIMEOUT" ($svc.shutdownTimeout | default "10s") }}
{{- if eq .name "auth-service" }}
{{- /* auth verifies its own tokens in memory; it signs with the mounted key and checks the mounted client secrets */}}
{{- $_ := set $data "CLIPFLOW_AUTH_KEY_DIR" (include "clipflow.jwtKeyDir" $root) }}
{{- $_ := set $data "CLIPFLOW_SERVICE_CLIENT_DIR" (include "clipflow.serviceClientDir" $root) }}
{{- $_ := set $data "CLIPFLOW_FRONTEND_URL" ($v.frontendUrl | default (include "clipflow.publicBaseUrl" $root)) }}
{{- else }}
{{- $_ := set $data "CLIPFLOW_JWKS_URL" (include "clipflow.jwksUrl" .) }}
{{- end }}
{{- if eq .name "catalog-service" }}
{{- $_ := set $data "CLIPFLOW_PUBLIC_BASE_URL" (include "clipflow.publicBaseUrl" $root) }}
{{- $_ := set $data "CLIPFLOW_CATALOG_KEEP_ORIGINALS" (toString (ternary true $v.keepOriginals (kindIs "invalid" $v.keepOriginals))) }}
{{- end }}
{{- if eq .name "upload-service" }}
{{- $_ := set $data "CLIPFLOW_UPLOAD_MAX_FILE_SIZE" (toString (int64 $v.maxFileSizeBytes)) }}
{{- end }}
{{- range $callee := $svc.serviceUrls | default list }}
{{- $_ := set $data (printf "CLIPFLOW_%s_URL" ($callee | trimSuffix "-service" | upper | replace "-" "_")) (include "clipflow.serviceUrl" (list $root $callee)) }}
{{- end }}
{{- if include "clipflow.uses" (list $svc "kafka") }}
{{- $_ := set $data "KAFKA_BOOTSTRAP_SERVERS" $v.kafka.bootstrapServers }}
{{- if $v.kafka.securityProtocol }}{{ $_ := set $data "KAFKA_SECURITY_PROTOCOL" $v.kafka.securityProtocol }}{{ end }}
{{- if $v.kafka.saslMechanism }}{{ $_ := set $data "KAFKA_SASL_MECHANISM" $v.kafka.saslMechanism }}{{ end }}
{{- end }}
{{- if $v.observability.tracing.otlpEndpoint }}
{{- $_ := set $data "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" $v.observability.tracing.otlpEndpoint }}
{{- else }}
{{- $_ := set $data "QUARKUS_OTEL_SDK_DISABLED" "true" }}
{{- end }}
{{- if include "clipflow.uses" (list $svc "postgresql") }}
{{- $pg := $v.postgresql }}
{{- $db := ($svc.postgresql | default dict).database | default (.name | replace "-service" "") }}
{{- $url := printf "jdbc:postgresql://%s:%v/%s" $pg.host $pg.port $db }}
{{- if $pg.sslMode }}{{ $url = printf "%s?sslmode=%s" $url $pg.sslMode }}{{ end }}
{{- $_ := set $data "QUARKUS_DATASOURCE_JDBC_URL" $url }}
{{- $_ := set $data "QUARKUS_DATASOURCE_JDBC_MAX_SIZE" (toString (($svc.postgresql | default dict).poolSize | default 4)) }}
{{- end }}
{{- if include "clipflow.uses" (list $svc "mongodb") }}
{{- $_ := set $data "QUARKUS_MONGODB_DATABASE" $v.mongodb.database }}
{{- end }}
{{- if eq .name "quota-service" }}
{{- /* quota drops a replayed event by its id for as long as any topic can hand it out again: the longest
       retention of the topics (dead-letter topics aside: what they hold was never applied) */}}
{{- $topics := $v.kafka.topics }}
{{- $longest := int64 0 }}
{{- range $topic, $o := $topics.items }}
{{- if not (hasSuffix ".dlq" $topic) }}
{{- $fallback := index ((($topics.defaults | default dict).config) | default dict) "retention.ms" }}
{{- $retention := int64 (index (($o | default dict).config | default dict) "retention.ms" | default $fallback) }}
{{- if gt $retention $longest }}{{ $longest = $retention }}{{ end }}
{{- end }}
{{- end }}
{{- $_ := set $data "CLIPFLOW_QUOTA_PROCESSED_EVENTS_RETENTION" (printf "%dms" $longest) }}
{{- end }}
{{- if include "clipflow.uses" (list $svc "blobstore") }}
{{- $_ := set $data "CLIPFLOW_STORAGE_TYPE" $v.storage.type }}
{{- if eq $v.storage.type "gcs" }}
{{- $_ := set $data "CLIPFLOW_STORAGE_GCS_BUCKET" $v.storage.gcs.bucket }}
{{- $_ := set $data "CLIPFLOW_STORAGE_GCS_PREFIX" $v.storage.gcs.prefix }}
{{- if $v.storage.gcs.projectId }}{{ $_ := set $data "CLIPFLOW_STORAGE_GCS_PROJECT_ID" $v.storage.gcs.projectId }}{{ end }}
{{- if $v.storage.gcs.credentialsSecret.name }}
{{- $_ := set $data "GOOGLE_APPLICATION_CREDENTIALS" "/var/run/secrets/clipflow/gcs/credentials.json" }}
{{- end }}
{{- else }}
{{- $_ := set $data "CLIPFLOW_STORAGE_LOCAL_ROOT" $v.storage.local.mountPath }}
{{- end }}
{{- end }}
{{- if include "clipflow.uses" (list $svc "smtp") }}
{{- $_ := set $data "CLIPFLOW_SMTP_HOST" $v.smtp.host }}
{{- $_ := set $data "CLIPFLOW_SMTP_PORT" (toString $v.smtp.port) }}
{{- $_ := set $data "CLIPFLOW_MAIL_FROM" $v.smtp.from }}
{{- $_ := set $data "CLIPFLOW_SMTP_START_TLS" $v.smtp.startTls }}
{{- end }}
{{- if eq $v.image.flavor "jvm" }}
{{- /* -Dvertx.disableURIValidation=true lets a malformed URI reach the problem module (a 400 problem+json, not an
       empty 400): always on, whatever javaOpts say (the native image's entry point sets it too) */}}
{{- $opts := list "-Djava.util.logging.manager=org.jboss.logmanager.LogManager" "-Dvertx.disableURIValidation=true" }}
{{- if $svc.scratch.enabled }}{{ $opts = append $opts (printf "-Djava.io.tmpdir=%s" $svc.scratch.mountPath) }}{{ end }}
{{- with $v.javaOpts }}{{ $opts = append $opts . }}{{ end }}
{{- with $svc.javaOpts }}{{ $opts = append $opts . }}{{ end }}
{{- $_ := set $data "JAVA_OPTS_APPEND" (join " " $opts) }}
{{- /* run-java.sh puts ${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC} before JAVA_OPTS_APPEND: a collector chosen in
       javaOpts must be the image's choice too, or the JVM refuses to start ("Multiple garbage collectors selected") */}}
{{- range $f := splitList " " (join " " $opts) }}{{ if regexMatch "^-XX:\\+Use[A-Za-z0-9]+GC$" $f }}{{ $_ := set $data "GC_CONTAINER_OPTIONS" $f }}{{ end }}{{ end }}
{{- end }}
{{- range $k, $val := $v.env }}
{{- $_ := set $data $k (tpl (toString $val) $root) }}
{{- end }}
{{- range $k, $val := $svc.env }}
{{- $_ := set $data $k (tpl (toString $val) $root) }}
{{- end }}
{{- if eq $v.image.flavor "native" }}
{{- range $k, $val := $svc.nativeEnv }}
{{- $_ := set $data $k (tpl (toString $val) $root) }}
{{- end }}
{{- end }}
{{- $out := dict }}
{{- range $k, $val := $data }}{{ $_ := set $out $k (toString $val) }}{{ end }}
{{- toYaml $out }}
{{- end }}

{{/* One env entry from a Secret: (list "ENV_NAME" "secret-name" "key" optional) */}}
{{- define "clipflow.secretKeyEnv" -}}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ index . 1 | quote }}
      key: {{ index . 2 | quote }}
      {{- if index . 3 }}
      optional: true
      {{- end }}
{{- end }}

{{/* Environment from Secrets (credentials only ever come in this way). */}}
{{- define "clipflow.secretEnv" -}}
{{- $v := .root.Values }}
{{- $svc := .svc }}
{{- if include "clipflow.uses" (list $svc "postgresql") }}
{{- $secret := ($svc.postgresql | default dict).existingSecret | default $v.postgresql.existingSecret }}
{{ include "clipflow.secretKeyEnv" (list "QUARKUS_DATASOURCE_USERNAME" $secret $v.postgresql.usernameKey false) }}
{{ include "clipflow.secretKeyEnv" (list "QUARKUS_DATASOURCE_PASSWORD" $secret $v.postgresql.passwordKey false) }}
{{- end }}
{{- if include "clipflow.uses" (list $svc "mongodb") }}
{{ include "clipflow.secretKeyEnv" (list "QUARKUS_MONGODB_CONNECTION_STRING" $v.mongodb.existingSecret $v.mongodb.connectionStringKey false) }}
{{- end }}
{{- if and (include "clipflow.uses" (list $svc "kafka")) $v.kafka.sasl.existingSecret }}
{{ include "clipflow.secretKeyEnv" (list "KAFKA_SASL_JAAS_CONFIG" $v.kafka.sasl.existingSecret $v.kafka.sasl.jaasConfigKey false) }}
{{- end }}
{{- if and (include "clipflow.uses" (list $svc "smtp")) $v.smtp.existingSecret }}
{{ include "clipflow.secretKeyEnv" (list "CLIPFLOW_SMTP_USERNAME" $v.smtp.existingSecret $v.smtp.usernameKey false) }}
{{ include "clipflow.secretKeyEnv" (list "CLIPFLOW_SMTP_PASSWORD" $v.smtp.existingSecret $v.smtp.passwordKey false) }}
{{- end }}
{{- if has "auth-service" ($svc.serviceUrls | default list) }}
{{ include "clipflow.secretKeyEnv" (list "CLIPFLOW_CLIENT_SECRET" $v.serviceClients.existingSecret .name false) }}
{{- end }}
{{- range $svc.secretEnv | default list }}
{{ include "clipflow.secretKeyEnv" (list .name .secret .key (.optional | default false)) }}
{{- end }}
{{- end }}

{{/* Pod security context shared by every pod of the chart. */}}
{{- define "clipflow.podSecurityContext" -}}
{{ toYaml .Values.podSecurityContext }}
{{- end }}

{{/* Container security context: non-root, read-only root filesystem, no capabilities. */}}
{{- define "clipflow.containerSecurityContext" -}}
{{ toYaml .Values.containerSecurityContext }}
{{- end }}

{{/* A NetworkPolicy peer selecting the pods of one service of this release: (list $ "auth-service") */}}
{{- define "clipflow.servicePeer" -}}
- podSelector:
    matchLabels:
      {{- include "clipflow.selectorLabels" . | nindent 6 }}
{{- end }}

{{/* Ports list of a NetworkPolicy rule from a list of numbers. */}}
{{- define "clipflow.tcpPorts" -}}
{{- range . }}
- port: {{ . }}
  protocol: TCP
{{- end }}
{{- end }}

{{/*
One egress rule as a YAML list item: (dict "to" <peers, empty: anywhere> "ports" <numbers>).
*/}}
{{- define "clipflow.egressRule" -}}
{{- $ports := list }}
{{- range .ports }}{{ $ports = append $ports (dict "port" (int .) "protocol" "TCP") }}{{ end }}
{{- $rule := dict "ports" $ports }}
{{- if .to }}{{ $_ := set $rule "to" .to }}{{ end }}
{{- list $rule | toYaml }}
{{- end }}

{{/* Checks across values that the schema cannot express; included once by configmap.yaml. */}}
{{- define "clipflow.validate" -}}
{{- range $name, $svc := .Values.services }}
{{- range ($svc.calls | default list) }}
{{- if not (hasKey $.Values.services .) }}
{{- fail (printf "services.%s.calls: unknown service %q" $name .) }}
{{- end }}
{{- end }}
{{- range ($svc.serviceUrls | default list) }}
{{- if not (has . ($svc.calls | default list)) }}
{{- fail (printf "services.%s.serviceUrls: %s is not in its calls (the NetworkPolicy would block it)" $name .) }}
{{- end }}
{{- end }}
{{- if and $svc.enabled (has "mongodb" ($svc.uses | default list)) (not $.Values.mongodb.existingSecret) }}
{{- fail (printf "services.%s uses mongodb: set mongodb.existingSecret" $name) }}
{{- end }}
{{- end }}
{{- /* database connections: every pool at its most pods within postgresql.connectionBudget */}}
{{- $connections := 0 }}
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (has "postgresql" ($svc.uses | default list)) }}
{{- $connections = add $connections (mul (include "clipflow.maxPods" $svc | int) (($svc.postgresql | default dict).poolSize | default 4)) }}
{{- end }}
{{- end }}
{{- if gt (int64 $connections) (int64 .Values.postgresql.connectionBudget) }}
{{- fail (printf "the services may open %d database connections (pool size x most pods, rollout surge included), more than postgresql.connectionBudget %d: lower services.<name>.postgresql.poolSize or the max replicas" (int64 $connections) (int64 .Values.postgresql.connectionBudget)) }}
{{- end }}
{{- /* scratch volumes hold the largest file: upload spools and stores it, transcode keeps source and outputs */}}
{{- $max := int64 .Values.maxFileSizeBytes }}
{{- with .Values.services }}
{{- with (index . "upload-service") }}{{ if .enabled }}
{{- if or (not .scratch.enabled) (lt (include "clipflow.bytes" .scratch.sizeLimit | int64) (mul 2 $max)) }}
{{- fail (printf "services.upload-service.scratch must hold 2 x maxFileSizeBytes (%d bytes)" (mul 2 $max)) }}
{{- end }}
{{- end }}{{ end }}
{{- with (index . "transcode-service") }}{{ if .enabled }}
{{- $jobs := int64 ((.env | default dict).CLIPFLOW_TRANSCODE_CONCURRENCY | default 1) }}
{{- if or (not .scratch.enabled) (lt (include "clipflow.bytes" .scratch.sizeLimit | int64) (mul 3 $max $jobs)) }}
{{- fail (printf "services.transcode-service.scratch must hold 3 x maxFileSizeBytes per concurrent job (%d bytes)" (mul 3 $max $jobs)) }}
{{- end }}
{{- end }}{{ end }}
{{- end }}
{{- end }}
