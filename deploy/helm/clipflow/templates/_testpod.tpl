{{/*
The helm test pod: every enabled service answers /q/health/ready through its Service.
Context: (dict "root" $ "hookAnnotations" (dict ...)).
*/}}
{{- define "clipflow.testPod" -}}
{{- $root := .root }}
{{- $urls := list }}
{{- range $name, $svc := $root.Values.services }}
{{- if $svc.enabled }}
{{- $urls = append $urls (printf "%s%s" (include "clipflow.serviceUrl" (list $root $name)) $root.Values.probes.readiness.path) }}
{{- end }}
{{- end }}
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "clipflow.fullname" $root }}-test-readiness
  namespace: {{ include "clipflow.namespace" $root }}
  labels:
    {{- include "clipflow.labels" $root | nindent 4 }}
    app.kubernetes.io/component: helm-test
  {{- with .hookAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 100
    runAsGroup: 101
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: readiness
      image: {{ $root.Values.tests.image | quote }}
      command: ["/bin/sh", "-ec"]
      args:
        - |
          for url in {{ join " " $urls }}; do
            echo "checking $url"
            curl --fail --silent --show-error --retry 30 --retry-delay 2 --retry-all-errors --max-time 5 "$url"
            echo
          done
      resources:
        requests: {cpu: 10m, memory: 16Mi}
        limits: {cpu: 100m, memory: 64Mi}
      securityContext:
        runAsNonRoot: true
        runAsUser: 100
        runAsGroup: 101
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        privileged: false
        capabilities:
          drop: [ALL]
{{- end }}
