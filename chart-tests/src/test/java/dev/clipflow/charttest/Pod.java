package dev.clipflow.charttest;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replica of a rendered Deployment, run as kubelet would run its container, from the packaged
 * service ({@code <service>/target/quarkus-app}, which the JVM image copies to {@code /deployments}):
 * <ul>
 * <li>environment: the image's {@code ENV} (src/main/docker/Dockerfile.jvm), then {@code envFrom},
 * then {@code env} with {@code secretKeyRef}/{@code configMapKeyRef}/{@code fieldRef} resolved and
 * {@code $(VAR)} expanded; a missing Secret/key that is not {@code optional} fails the pod as
 * kubelet's {@code CreateContainerConfigError} does;</li>
 * <li>command: the image's entrypoint, run-java.sh of the ubi9 OpenJDK image (see {@link #javaCommand});
 * the container's memory and CPU limits become {@code -XX:MaxRAM} and {@code -XX:ActiveProcessorCount}
 * (no cgroup of its own here);</li>
 * <li>filesystem (bubblewrap): a read-only root made of the machine's /usr, /etc, /opt, /var (the
 * image stand-in), the app read-only at /deployments (the working directory), each {@code emptyDir}
 * a tmpfs of its {@code sizeLimit}, Secret volumes as read-only files, the blob claim a bind of a
 * test folder; the user of {@code securityContext.runAsUser} without capabilities;</li>
 * <li>network: its own namespace and pod IP ({@link PodNetwork}), {@code /etc/hosts} resolving the
 * cluster's Service names; hostname = pod name.</li>
 * </ul>
 */
final class Pod implements AutoCloseable {

    /**
     * Starts the sandboxes. bwrap's --die-with-parent (a container must not outlive a crashed test JVM) is a
     * parent-death signal, which Linux sends when the starting <em>thread</em> ends: so one thread that lives
     * as long as the JVM starts them all.
     */
    private static final java.util.concurrent.ExecutorService LAUNCHER = java.util.concurrent.Executors
            .newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "pod-launcher");
                thread.setDaemon(true);
                return thread;
            });

    /** The machine's folders that stand in for the image's (read-only). */
    static final List<String> IMAGE_FOLDERS = List.of("/usr", "/etc", "/opt", "/var");

    final String name;
    final String service;
    final String ip;
    final Deployment deployment;
    final Map<String, String> environment;
    final Map<String, Long> tmpfsSizes = new LinkedHashMap<>();
    final Path log;
    private List<String> command = List.of();
    private final int port;
    private Process process;
    /** Container restarts (kubelet restarts a container that exits: restartPolicy Always). */
    int restarts;

    private Pod(String name, String service, String ip, Deployment deployment, Map<String, String> environment,
            int port, Path log) {
        this.name = name;
        this.service = service;
        this.ip = ip;
        this.deployment = deployment;
        this.environment = environment;
        this.port = port;
        this.log = log;
    }

    /** Everything a pod needs from outside: the rendered objects, the Secrets, where to put files, the network. */
    record Context(RenderedChart chart, TestSecrets secrets, Path work, Path repoRoot, String hostsFile) {
    }

    /** Prepares replica {@code index} of the Deployment in its network namespace (does not start it). */
    static Pod prepare(Deployment deployment, int index, PodNetwork.Attachment network, Context context) {
        String service = RenderedChart.component(deployment);
        String name = deployment.getMetadata().getName() + "-" + index;
        PodSpec spec = deployment.getSpec().getTemplate().getSpec();
        if (spec.getContainers().size() != 1 || spec.getInitContainers() != null && !spec.getInitContainers().isEmpty()) {
            throw new IllegalStateException(name + ": the harness runs pods of exactly one container");
        }
        Container container = spec.getContainers().get(0);
        Path dir = context.work().resolve("pods").resolve(name);
        try {
            Files.createDirectories(dir);
            Path app = context.repoRoot().resolve(service).resolve("target/quarkus-app");
            Path dockerfile = context.repoRoot().resolve(service).resolve("src/main/docker/Dockerfile.jvm");
            if (!Files.exists(app.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException("Package first: ./mvnw -q -B package -DskipTests -pl " + service + " -am");
            }
            Map<String, String> env = new LinkedHashMap<>(imageEnvironment(dockerfile));
            env.putAll(containerEnvironment(name, network.podIp(), deployment, container, context));
            int port = container.getPorts().get(0).getContainerPort();

            List<String> bwrap = new ArrayList<>(List.of("ip", "netns", "exec", network.namespace(), "bwrap",
                    "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", name,
                    "--clearenv"));
            env.forEach((key, value) -> bwrap.addAll(List.of("--setenv", key, value)));
            // the image stand-in: the machine's system folders, read-only
            for (String system : IMAGE_FOLDERS) {
                bwrap.addAll(List.of("--ro-bind", system, system));
            }
            for (String link : List.of("bin", "lib", "lib64", "sbin")) {
                bwrap.addAll(List.of("--symlink", "usr/" + link, "/" + link));
            }
            // /var/run points here (the image's empty /run)
            bwrap.addAll(List.of("--perms", "0755", "--dir", "/run"));
            Path hosts = dir.resolve("hosts");
            Files.writeString(hosts, "127.0.0.1 localhost\n::1 localhost\n" + network.podIp() + " " + name + "\n"
                    + context.hostsFile());
            // kubelet's resolv.conf (ClusterFirst): the cluster DNS on the host address, the namespace's search path
            Path resolv = dir.resolve("resolv.conf");
            Files.writeString(resolv, ClusterDns.resolvConf(network.podIp().substring(0, network.podIp().lastIndexOf('.'))
                    + ".1", deployment.getMetadata().getNamespace()));
            bwrap.addAll(List.of("--ro-bind", resolv.toString(), "/etc/resolv.conf"));
            bwrap.addAll(List.of("--ro-bind", hosts.toString(), "/etc/hosts", "--dev", "/dev", "--proc", "/proc",
                    "--ro-bind", app.toString(), "/deployments"));
            Pod pod = new Pod(name, service, network.podIp(), deployment, env, port, dir.resolve("pod.log"));
            java.util.Set<String> folders = new java.util.HashSet<>(List.of("/", "/run"));
            for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
                // the folders above a mount point, as an image has them (bwrap would make them 0700)
                Path parent = Path.of(inImage(mount.getMountPath())).getParent();
                for (int i = 1; parent != null && i <= parent.getNameCount(); i++) {
                    String folder = "/" + parent.subpath(0, i);
                    if (folders.add(folder) && IMAGE_FOLDERS.stream().noneMatch(f -> folder.equals(f) || folder.startsWith(f + "/"))) {
                        bwrap.addAll(List.of("--perms", "0755", "--dir", folder));
                    }
                }
                bwrap.addAll(pod.mount(mount, spec, dir, context));
            }
            bwrap.addAll(List.of("--remount-ro", "/", "--chdir", "/deployments"));
            Long user = Optional.ofNullable(container.getSecurityContext()).map(s -> s.getRunAsUser())
                    .orElse(spec.getSecurityContext() == null ? null : spec.getSecurityContext().getRunAsUser());
            Long group = Optional.ofNullable(container.getSecurityContext()).map(s -> s.getRunAsGroup())
                    .orElse(spec.getSecurityContext() == null ? null : spec.getSecurityContext().getRunAsGroup());
            if (user != null) {
                bwrap.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + (group == null ? user : group),
                        "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"));
            }
            bwrap.addAll(javaCommand(env, container));
            pod.command = List.copyOf(bwrap);
            return pod;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ENV lines of the JVM Dockerfile, plus the base image's PATH/HOME/JAVA_HOME. */
    static Map<String, String> imageEnvironment(Path dockerfile) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/home/jboss");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Pattern line = Pattern.compile("^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
        for (String text : Files.readAllLines(dockerfile)) {
            Matcher matcher = line.matcher(text.trim());
            if (matcher.matches()) {
                String value = matcher.group(2).trim();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                env.put(matcher.group(1), value);
            }
        }
        return env;
    }

    /** envFrom, then env, as kubelet resolves them. */
    private static Map<String, String> containerEnvironment(String pod, String podIp, Deployment deployment,
            Container container, Context context) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            String prefix = Optional.ofNullable(from.getPrefix()).orElse("");
            if (from.getConfigMapRef() != null) {
                boolean optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
                Optional<ConfigMap> map = context.chart().configMap(from.getConfigMapRef().getName());
                if (map.isEmpty() && !optional) {
                    throw configError(pod, "configmap \"" + from.getConfigMapRef().getName() + "\" not found");
                }
                map.map(ConfigMap::getData).orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
            }
            if (from.getSecretRef() != null) {
                boolean optional = Boolean.TRUE.equals(from.getSecretRef().getOptional());
                Optional<Map<String, String>> secret = secret(context, from.getSecretRef().getName());
                if (secret.isEmpty() && !optional) {
                    throw configError(pod, "secret \"" + from.getSecretRef().getName() + "\" not found");
                }
                secret.orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
            }
        }
        for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (variable.getValueFrom() == null) {
                env.put(variable.getName(), expand(Optional.ofNullable(variable.getValue()).orElse(""), env));
                continue;
            }
            var from = variable.getValueFrom();
            if (from.getSecretKeyRef() != null) {
                var ref = from.getSecretKeyRef();
                Optional<String> value = secretValue(pod, context, ref.getName(), ref.getKey(),
                        Boolean.TRUE.equals(ref.getOptional()));
                value.ifPresent(v -> env.put(variable.getName(), v));
            } else if (from.getConfigMapKeyRef() != null) {
                var ref = from.getConfigMapKeyRef();
                Optional<String> value = context.chart().configMap(ref.getName()).map(c -> c.getData().get(ref.getKey()));
                if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw configError(pod, "couldn't find key " + ref.getKey() + " in ConfigMap " + ref.getName());
                }
                value.ifPresent(v -> env.put(variable.getName(), v));
            } else if (from.getFieldRef() != null) {
                String path = from.getFieldRef().getFieldPath();
                env.put(variable.getName(), switch (path) {
                    case "metadata.name" -> pod;
                    case "metadata.namespace" -> deployment.getMetadata().getNamespace();
                    case "status.podIP", "status.hostIP" -> podIp;
                    case "spec.nodeName" -> "chart-test-node";
                    default -> throw new IllegalStateException(pod + ": fieldRef " + path + " is not supported by the harness");
                });
            } else {
                throw new IllegalStateException(pod + ": env " + variable.getName() + " uses a source the harness does not support");
            }
        }
        return env;
    }

    private static Optional<Map<String, String>> secret(Context context, String name) {
        Optional<Secret> rendered = context.chart().secret(name);
        if (rendered.isPresent()) {
            Map<String, String> values = new LinkedHashMap<>();
            Optional.ofNullable(rendered.get().getData()).orElse(Map.of())
                    .forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            Optional.ofNullable(rendered.get().getStringData()).orElse(Map.of()).forEach(values::put);
            return Optional.of(values);
        }
        return context.secrets().secret(name);
    }

    private static Optional<String> secretValue(String pod, Context context, String name, String key, boolean optional) {
        Optional<Map<String, String>> secret = secret(context, name);
        if (secret.isEmpty()) {
            if (optional) {
                return Optional.empty();
            }
            throw configError(pod, "secret \"" + name + "\" not found");
        }
        String value = secret.get().get(key);
        if (value == null && !optional) {
            throw configError(pod, "couldn't find key " + key + " in Secret " + name);
        }
        return Optional.ofNullable(value);
    }

    private static IllegalStateException configError(String pod, String message) {
        return new IllegalStateException("pod " + pod + ": CreateContainerConfigError: " + message);
    }

    /** Kubernetes' $(VAR) expansion of env values: defined names are replaced, $$ is a literal $, the rest stays. */
    static String expand(String value, Map<String, String> defined) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$$", i)) {
                out.append('$');
                i += 2;
                continue;
            }
            if (value.startsWith("$(", i)) {
                int end = value.indexOf(')', i);
                if (end > 0 && defined.containsKey(value.substring(i + 2, end))) {
                    out.append(defined.get(value.substring(i + 2, end)));
                    i = end + 1;
                    continue;
                }
            }
            out.append(value.charAt(i++));
        }
        return out.toString();
    }

    /**
     * A path as the image resolves it: symbolic links of the image's folders followed (/var/run is a link to
     * /run), since bwrap cannot create a mount point through a link into the read-only image.
     */
    static String inImage(String path) {
        Path resolved = Path.of("/");
        for (Path part : Path.of(path)) {
            Path next = resolved.resolve(part);
            if (Files.isSymbolicLink(next)) {
                try {
                    Path link = Files.readSymbolicLink(next);
                    next = link.isAbsolute() ? link : resolved.resolve(link).normalize();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            resolved = next;
        }
        return resolved.toString();
    }

    /** bwrap arguments for one volumeMount. */
    private List<String> mount(VolumeMount mount, PodSpec spec, Path dir, Context context) throws IOException {
        if (mount.getSubPath() != null && !mount.getSubPath().isBlank()) {
            throw new IllegalStateException(name + ": subPath mounts are not supported by the harness");
        }
        Volume volume = spec.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + ": no volume " + mount.getName()));
        boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
        String target = inImage(mount.getMountPath());
        if (volume.getEmptyDir() != null) {
            List<String> args = new ArrayList<>(List.of("--perms", "1777"));
            Quantity limit = volume.getEmptyDir().getSizeLimit();
            if (limit != null) {
                long bytes = Quantity.getAmountInBytes(limit).longValueExact();
                tmpfsSizes.put(target, bytes);
                args.addAll(List.of("--size", String.valueOf(bytes)));
            }
            args.addAll(List.of("--tmpfs", target));
            return args;
        }
        if (volume.getSecret() != null) {
            String secretName = volume.getSecret().getSecretName();
            Optional<Map<String, String>> secret = secret(context, secretName);
            if (secret.isEmpty()) {
                if (Boolean.TRUE.equals(volume.getSecret().getOptional())) {
                    return List.of("--perms", "0755", "--dir", target);
                }
                throw new IllegalStateException("pod " + name + ": FailedMount: secret \"" + secretName + "\" not found");
            }
            Path files = dir.resolve("volumes").resolve(mount.getName());
            Files.createDirectories(files);
            List<KeyToPath> items = Optional.ofNullable(volume.getSecret().getItems()).orElse(List.of());
            if (items.isEmpty()) {
                for (var entry : secret.get().entrySet()) {
                    Files.writeString(files.resolve(entry.getKey()), entry.getValue());
                }
            } else {
                for (KeyToPath item : items) {
                    String value = secret.get().get(item.getKey());
                    if (value == null) {
                        throw new IllegalStateException("pod " + name + ": FailedMount: couldn't find key "
                                + item.getKey() + " in Secret " + secretName);
                    }
                    Path file = files.resolve(item.getPath());
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, value);
                }
            }
            // kubelet's defaultMode 0644: readable by the container's user
            try (var all = Files.walk(files)) {
                for (Path path : all.toList()) {
                    path.toFile().setReadable(true, false);
                    if (Files.isDirectory(path)) {
                        path.toFile().setExecutable(true, false);
                    }
                }
            }
            return List.of("--ro-bind", files.toString(), target);
        }
        if (volume.getConfigMap() != null) {
            ConfigMap map = context.chart().configMap(volume.getConfigMap().getName())
                    .orElseThrow(() -> new IllegalStateException("pod " + name + ": FailedMount: configmap \""
                            + volume.getConfigMap().getName() + "\" not found"));
            Path files = dir.resolve("volumes").resolve(mount.getName());
            Files.createDirectories(files);
            for (var entry : Optional.ofNullable(map.getData()).orElse(Map.of()).entrySet()) {
                Files.writeString(files.resolve(entry.getKey()), entry.getValue());
            }
            return List.of("--ro-bind", files.toString(), target);
        }
        if (volume.getPersistentVolumeClaim() != null) {
            Path claim = context.work().resolve("claims").resolve(volume.getPersistentVolumeClaim().getClaimName());
            Files.createDirectories(claim);
            // fsGroup: the pod's group may write the volume
            claim.toFile().setWritable(true, false);
            claim.toFile().setExecutable(true, false);
            boolean claimReadOnly = readOnly || Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly());
            return List.of(claimReadOnly ? "--ro-bind" : "--bind", claim.toString(), target);
        }
        throw new IllegalStateException(name + ": volume " + volume.getName() + " is of a kind the harness does not support");
    }

    /**
     * The image's entrypoint, run-java.sh of ubi9/openjdk-21-runtime (rh-openjdk/redhat-openjdk-containers,
     * modules/run and modules/jvm): {@code cd $JAVA_APP_DIR; java ${JAVA_OPTS-<defaults> $JAVA_OPTS_APPEND}
     * -cp . -jar $JAVA_APP_JAR args}, where the defaults are java-default-options' {@code
     * -XX:MaxRAMPercentage=80.0 ${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC} -XX:MinHeapFreeRatio=10
     * -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError}
     * (each with its GC_* / JAVA_MAX_MEM_RATIO variable). The container's limits, which the JVM would read
     * from its cgroup, come in as {@code -XX:MaxRAM} and {@code -XX:ActiveProcessorCount} in front.
     */
    static List<String> javaCommand(Map<String, String> env, Container container) {
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            List<String> command = new ArrayList<>(container.getCommand());
            Optional.ofNullable(container.getArgs()).ifPresent(command::addAll);
            return command;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var limits = container.getResources() == null ? null : container.getResources().getLimits();
        if (limits != null && limits.get("memory") != null) {
            command.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limits.get("memory")).longValue());
        }
        if (limits != null && limits.get("cpu") != null) {
            BigDecimal cpus = Quantity.getAmountInBytes(limits.get("cpu"));
            int count = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                    cpus.setScale(0, java.math.RoundingMode.CEILING).intValue()));
            command.add("-XX:ActiveProcessorCount=" + count);
        }
        if (env.containsKey("JAVA_OPTS")) {
            command.addAll(split(env.get("JAVA_OPTS")));
        } else {
            String ratio = env.getOrDefault("JAVA_MAX_MEM_RATIO", "");
            if (!"0".equals(ratio)) {
                command.add("-XX:MaxRAMPercentage=" + (ratio.isEmpty() ? "80" : String.valueOf(Math.round(Double.parseDouble(ratio)))) + ".0");
            }
            command.addAll(split(env.getOrDefault("GC_CONTAINER_OPTIONS", "-XX:+UseParallelGC")));
            command.add("-XX:MinHeapFreeRatio=" + env.getOrDefault("GC_MIN_HEAP_FREE_RATIO", "10"));
            command.add("-XX:MaxHeapFreeRatio=" + env.getOrDefault("GC_MAX_HEAP_FREE_RATIO", "20"));
            command.add("-XX:GCTimeRatio=" + env.getOrDefault("GC_TIME_RATIO", "4"));
            command.add("-XX:AdaptiveSizePolicyWeight=" + env.getOrDefault("GC_ADAPTIVE_SIZE_POLICY_WEIGHT", "90"));
            if (env.containsKey("GC_MAX_METASPACE_SIZE")) {
                command.add("-XX:MaxMetaspaceSize=" + env.get("GC_MAX_METASPACE_SIZE") + "m");
            }
            command.add("-XX:+ExitOnOutOfMemoryError");
            command.addAll(split(env.getOrDefault("JAVA_OPTS_APPEND", "")));
        }
        command.addAll(List.of("-cp", ".", "-jar", env.getOrDefault("JAVA_APP_JAR", "/deployments/quarkus-run.jar")));
        Optional.ofNullable(container.getArgs()).ifPresent(command::addAll);
        return command;
    }

    private static List<String> split(String options) {
        return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    void start() {
        try {
            Files.writeString(log.resolveSibling("command.txt"), String.join("\n", command) + "\n");
            Files.writeString(log, "=== container start " + (restarts + 1) + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = LAUNCHER.submit(builder::start).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot start " + name, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://" + ip + ":" + port;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** How often a container that exits (or fails its startup probe) is started again (kubelet's back-off: 10, 20, 40 s). */
    static final int MAX_RESTARTS = 3;

    /**
     * Starts the container and waits as the startup probe would (period x failureThreshold), then for the
     * readiness probe. A container that exits is restarted as kubelet would, at most {@link #MAX_RESTARTS}
     * times (a crash loop fails the same way every time); fails with the log's tail when it keeps exiting or
     * the probes run out.
     */
    void startAndAwaitReady(HttpClient http) {
        start();
        while (true) {
            try {
                awaitReady(http);
                return;
            } catch (ContainerExited exited) {
                if (exited.code == STARTUP_PROBE_FAILED) {
                    // kubelet kills a container whose startup probe keeps failing
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
                if (restarts >= MAX_RESTARTS) {
                    throw new IllegalStateException("pod " + name + ": the container "
                            + (exited.code == STARTUP_PROBE_FAILED ? "failed its startup probe" : "exited with " + exited.code)
                            + " at its start number " + (restarts + 1) + " (CrashLoopBackOff); last output:\n" + tail(40));
                }
                sleep(10_000L << restarts);
                restarts++;
                start();
            }
        }
    }

    private static final int STARTUP_PROBE_FAILED = -1;

    private static final class ContainerExited extends RuntimeException {
        final int code;

        ContainerExited(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private void awaitReady(HttpClient http) {
        PodSpec spec = deployment.getSpec().getTemplate().getSpec();
        Container container = spec.getContainers().get(0);
        Probe startup = container.getStartupProbe();
        Probe readiness = container.getReadinessProbe();
        long budget = startup == null ? 180 : (long) startup.getPeriodSeconds() * startup.getFailureThreshold();
        long deadline = System.nanoTime() + Duration.ofSeconds(budget).toNanos();
        String startupPath = startup == null ? "/q/health/started" : startup.getHttpGet().getPath();
        String readyPath = readiness == null ? "/q/health/ready" : readiness.getHttpGet().getPath();
        for (String path : List.of(startupPath, readyPath)) {
            while (true) {
                if (!alive()) {
                    throw new ContainerExited(process.exitValue());
                }
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                            .timeout(Duration.ofSeconds(3)).build();
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (System.nanoTime() > deadline) {
                    try {
                        Files.writeString(log, "=== " + path + " not 200 within the startup probe's " + budget + " s\n",
                                java.nio.file.StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    throw new ContainerExited(STARTUP_PROBE_FAILED);
                }
                sleep(500);
            }
        }
    }

    /** The last lines of the container's output. */
    String tail(int lines) {
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The JVM inside the sandbox (bwrap's descendant). */
    Optional<ProcessHandle> java() {
        return process == null ? Optional.empty() : process.descendants().filter(Pod::isJava).findFirst();
    }

    /** Whether a process runs java (from /proc: ProcessHandle.Info is empty for another user's process here). */
    private static boolean isJava(ProcessHandle process) {
        try {
            String commandLine = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
            int end = commandLine.indexOf('\0');
            return (end < 0 ? commandLine : commandLine.substring(0, end)).endsWith("/java");
        } catch (IOException gone) {
            return false;
        }
    }

    /**
     * Runs a command in the container's mount namespace as root (nsenter), to look at its filesystem from
     * inside; returns the exit code and the output.
     */
    Exec exec(String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--target",
                String.valueOf(java().orElseThrow(() -> new IllegalStateException(name + " is not running")).pid()),
                "--mount", "--"));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(full + " timed out");
            }
            return new Exec(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Exec(int code, String output) {
    }

    /** SIGTERM to the JVM, then SIGKILL after the pod's grace period, as kubelet stops a container. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        java().ifPresent(ProcessHandle::destroy);
        long grace = Optional.ofNullable(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .orElse(30L);
        try {
            if (!process.waitFor(grace, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
