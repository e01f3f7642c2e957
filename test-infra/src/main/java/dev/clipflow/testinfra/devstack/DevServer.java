package dev.clipflow.testinfra.devstack;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.Mongo;
import dev.clipflow.testinfra.servers.Postgres;
import dev.clipflow.testinfra.servers.TraceReceiver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's infrastructure processes, as {@code ./clipflow up} starts them:
 * <pre>
 *   DevServer postgres &lt;dataDir&gt; &lt;port&gt; &lt;db,db,...&gt; [binariesDir]
 *                                                      real PostgreSQL, databases created if missing; the
 *                                                      binaries unpacked into binariesDir (default: the
 *                                                      data dir's sibling "postgres-binaries")
 *   DevServer mongo &lt;h2File&gt; &lt;port&gt;                 MongoDB wire server persisting to H2
 *   DevServer kafka-prepare &lt;dir&gt; &lt;port&gt; &lt;controllerPort&gt;  writes the KRaft config, formats once,
 *                                                      prints the config path (run it with kafka.Kafka)
 *   DevServer kafka-topics &lt;bootstrap&gt;              creates every contract topic and its .dlq if missing
 * </pre>
 * The servers run until SIGTERM and then stop cleanly.
 */
public final class DevServer {

    private DevServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("kafka-topics")) {
            List<String> topics = new ArrayList<>(Topics.ALL);
            Topics.ALL.forEach(topic -> topics.add(Topics.dlq(topic)));
            KafkaBroker.ensureTopics(args[1], topics);
            System.out.println("kafka topics ready: " + String.join(" ", topics));
            System.exit(0);
        }
        if (args.length < 3) {
            usage();
        }
        CountDownLatch stop = new CountDownLatch(1);
        AutoCloseable server = switch (args[0]) {
            case "postgres" -> {
                Path data = Path.of(args[1]);
                Files.createDirectories(data.getParent());
                Path binaries = args.length > 4 ? Path.of(args[4]) : data.resolveSibling("postgres-binaries");
                Postgres postgres = Postgres.start(data, Integer.parseInt(args[2]), binaries);
                if (args.length > 3 && !args[3].isBlank()) {
                    for (String db : args[3].split(",")) {
                        postgres.ensureDatabase(db.trim());
                    }
                }
                yield postgres;
            }
            case "mongo" -> {
                Path file = Path.of(args[1]);
                Files.createDirectories(file.toAbsolutePath().getParent());
                yield Mongo.persistent(file, Integer.parseInt(args[2]));
            }
            case "traces" -> TraceReceiver.start(Path.of(args[1]), Integer.parseInt(args[2]));
            case "kafka-prepare" -> {
                Path dir = Path.of(args[1]);
                Files.createDirectories(dir);
                System.out.println(KafkaBroker.prepare(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        dir.resolve("format.log")));
                System.exit(0);
                yield null;
            }
            default -> {
                usage();
                yield null;
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("stopping: " + e.getMessage());
            }
            stop.countDown();
        }));
        System.out.println(args[0] + " ready on port " + args[2]);
        stop.await();
    }

    private static void usage() {
        System.err.println("usage: DevServer postgres <dataDir> <port> [dbs [binariesDir]] | mongo <file> <port>"
                + " | kafka-prepare <dir> <port> <cport> | kafka-topics <bootstrap> | traces <spans.jsonl> <port>");
        System.exit(2);
    }
}
