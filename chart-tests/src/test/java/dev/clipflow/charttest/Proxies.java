package dev.clipflow.charttest;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One nginx standing in for kube-proxy and the ingress controller: a listener per Service on its
 * ClusterIP that spreads requests over the Service's pods (round robin, no retries, bodies streamed
 * as a TCP proxy would), and the ingress on the host address with one location per rendered
 * Ingress path, carrying ingress-nginx's defaults and the Ingress' annotations (body size 1m unless
 * {@code proxy-body-size}, request buffering, timeouts). Each listener logs to its own file, so a
 * test can tell which calls went through a Service.
 */
final class Proxies implements AutoCloseable {

    private static final String ANNOTATION = "nginx.ingress.kubernetes.io/";

    private final Process process;
    private final Path dir;

    private Proxies(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** A Service's listener: where it listens and the pod IPs behind it. */
    record ServiceProxy(Service service, String clusterIp, int port, List<String> endpoints, int targetPort) {
        String upstream() {
            return "svc_" + service.getMetadata().getName().replace('-', '_');
        }
    }

    static Proxies start(Path dir, List<ServiceProxy> services, List<Ingress> ingresses, String ingressAddress,
            int ingressPort) {
        try {
            Files.createDirectories(dir.resolve("tmp"));
            dir.resolve("tmp").toFile().setWritable(true, false);
            StringBuilder conf = new StringBuilder();
            conf.append("worker_processes 1;\ndaemon off;\npid ").append(dir.resolve("nginx.pid")).append(";\n")
                    .append("error_log ").append(dir.resolve("error.log")).append(" warn;\n")
                    .append("events { worker_connections 4096; }\nhttp {\n")
                    .append("  log_format clipflow '$remote_addr $request_method $request_uri $status $upstream_addr';\n")
                    .append("  access_log off;\n");
            for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
                conf.append("  ").append(temp).append("_temp_path ").append(dir.resolve("tmp").resolve(temp)).append(";\n");
            }
            conf.append("  proxy_http_version 1.1;\n  proxy_set_header Connection \"\";\n");
            for (ServiceProxy proxy : services) {
                conf.append("  upstream ").append(proxy.upstream()).append(" {\n");
                for (String endpoint : proxy.endpoints()) {
                    conf.append("    server ").append(endpoint).append(':').append(proxy.targetPort()).append(";\n");
                }
                conf.append("  }\n");
                // kube-proxy: a TCP-level spread, no body limits, no buffering, no retries on another pod
                conf.append("  server {\n    listen ").append(proxy.clusterIp()).append(':').append(proxy.port()).append(";\n")
                        .append("    access_log ").append(logOf(dir, proxy.service().getMetadata().getName())).append(" clipflow;\n")
                        .append("    client_max_body_size 0;\n    proxy_request_buffering off;\n    proxy_buffering off;\n")
                        .append("    proxy_read_timeout 3600s;\n    proxy_send_timeout 3600s;\n    proxy_next_upstream off;\n")
                        .append("    location / {\n      proxy_pass http://").append(proxy.upstream()).append(";\n")
                        .append("      proxy_set_header Host $http_host;\n    }\n  }\n");
            }
            conf.append("  server {\n    listen ").append(ingressAddress).append(':').append(ingressPort).append(" default_server;\n")
                    .append("    access_log ").append(dir.resolve("ingress.log")).append(" clipflow;\n");
            for (Ingress ingress : ingresses) {
                Map<String, String> annotations = Optional.ofNullable(ingress.getMetadata().getAnnotations()).orElse(Map.of());
                boolean tls = ingress.getSpec().getTls() != null && !ingress.getSpec().getTls().isEmpty();
                for (IngressRule rule : ingress.getSpec().getRules()) {
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        String backend = path.getBackend().getService().getName();
                        ServiceProxy proxy = services.stream()
                                .filter(s -> s.service().getMetadata().getName().equals(backend)).findFirst()
                                .orElseThrow(() -> new IllegalStateException("Ingress " + ingress.getMetadata().getName()
                                        + " routes " + path.getPath() + " to Service " + backend + ", which the chart does not render"));
                        String settings = locationSettings(annotations, tls, proxy);
                        String prefix = path.getPath();
                        switch (path.getPathType()) {
                            case "Exact" -> conf.append("    location = ").append(prefix).append(" {\n").append(settings).append("    }\n");
                            case "Prefix", "ImplementationSpecific" -> {
                                String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
                                conf.append("    location = ").append(trimmed).append(" {\n").append(settings).append("    }\n");
                                conf.append("    location ").append(trimmed).append("/ {\n").append(settings).append("    }\n");
                            }
                            default -> throw new IllegalStateException("pathType " + path.getPathType());
                        }
                    }
                }
            }
            conf.append("    location / {\n      default_type text/html;\n      return 404 'default backend - 404';\n    }\n  }\n}\n");
            Path file = dir.resolve("nginx.conf");
            Files.writeString(file, conf.toString());
            String nginx = Files.exists(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
            Process check = new ProcessBuilder(nginx, "-t", "-c", file.toString(), "-p", dir.toString())
                    .redirectErrorStream(true).start();
            String checked = new String(check.getInputStream().readAllBytes());
            if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
                throw new IllegalStateException("nginx rejects the generated configuration " + file + ":\n" + checked);
            }
            Process process = new ProcessBuilder(nginx, "-c", file.toString(), "-p", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            Proxies proxies = new Proxies(process, dir);
            Runtime.getRuntime().addShutdownHook(new Thread(proxies::close));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.exists(dir.resolve("nginx.pid"))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("nginx did not start:\n" + Files.readString(dir.resolve("nginx.out")));
                }
                Thread.sleep(50);
            }
            return proxies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** ingress-nginx's defaults and the annotations it reads for one location. */
    private static String locationSettings(Map<String, String> annotations, boolean tls, ServiceProxy proxy) {
        String bodySize = annotations.getOrDefault(ANNOTATION + "proxy-body-size", "1m");
        String requestBuffering = annotations.getOrDefault(ANNOTATION + "proxy-request-buffering", "on");
        String buffering = annotations.getOrDefault(ANNOTATION + "proxy-buffering", "off");
        String read = annotations.getOrDefault(ANNOTATION + "proxy-read-timeout", "60");
        String send = annotations.getOrDefault(ANNOTATION + "proxy-send-timeout", "60");
        String connect = annotations.getOrDefault(ANNOTATION + "proxy-connect-timeout", "5");
        return "      client_max_body_size " + bodySize + ";\n"
                + "      proxy_request_buffering " + requestBuffering + ";\n"
                + "      proxy_buffering " + buffering + ";\n"
                + "      proxy_read_timeout " + read + "s;\n      proxy_send_timeout " + send + "s;\n"
                + "      proxy_connect_timeout " + connect + "s;\n"
                + "      proxy_set_header Host $host;\n"
                + "      proxy_set_header X-Real-IP $remote_addr;\n"
                + "      proxy_set_header X-Forwarded-For $remote_addr;\n"
                + "      proxy_set_header X-Forwarded-Host $host;\n"
                + "      proxy_set_header X-Forwarded-Proto " + (tls ? "https" : "$scheme") + ";\n"
                + "      proxy_pass http://" + proxy.upstream() + ";\n";
    }

    static Path logOf(Path dir, String service) {
        return dir.resolve("service-" + service + ".log");
    }

    /** The access log lines of a Service's listener (calls between services), or of {@code ingress}. */
    List<String> accessLog(String serviceOrIngress) {
        Path log = "ingress".equals(serviceOrIngress) ? dir.resolve("ingress.log") : logOf(dir, serviceOrIngress);
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
