package dev.clipflow.testinfra.servers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * The local stack's trace collector: an OTLP/HTTP receiver (protobuf, what the services' OpenTelemetry
 * exporter sends with {@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf}) that appends
 * every span as one JSON line to a file: {@code traceId}, {@code spanId}, {@code parentSpanId},
 * {@code name}, {@code kind}, {@code service}, {@code start} / {@code end} (epoch nanoseconds),
 * {@code durationMs}, {@code status} and {@code attributes}. {@code grep <traceId> spans.jsonl} is
 * one trace across every service; tests read the file. No collector binary is available from the
 * registries here, so this stands in for one (it decodes with the OpenTelemetry proto classes).
 */
public final class TraceReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final Path file;

    private TraceReceiver(HttpServer server, Path file) {
        this.server = server;
        this.file = file;
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port), appending spans to {@code file}. */
    public static TraceReceiver start(Path file, int port) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        TraceReceiver receiver = new TraceReceiver(server, file);
        server.createContext("/", receiver::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return receiver;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path file() {
        return file;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try (InputStream body = body(exchange)) {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                byte[] message = ("not an OTLP trace export: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            append(request);
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    private static InputStream body(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
    }

    private synchronized void append(ExportTraceServiceRequest request) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = value(resource.getResource().getAttributesList(), "service.name");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    lines.append(JSON.writeValueAsString(line(service, span))).append('\n');
                }
            }
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            out.write(lines.toString());
        }
    }

    private static ObjectNode line(String service, Span span) {
        ObjectNode node = JSON.createObjectNode();
        node.put("traceId", HEX.formatHex(span.getTraceId().toByteArray()));
        node.put("spanId", HEX.formatHex(span.getSpanId().toByteArray()));
        node.put("parentSpanId", span.getParentSpanId().isEmpty() ? null : HEX.formatHex(span.getParentSpanId().toByteArray()));
        node.put("name", span.getName());
        node.put("kind", span.getKind().name().replace("SPAN_KIND_", ""));
        node.put("service", service);
        node.put("start", span.getStartTimeUnixNano());
        node.put("end", span.getEndTimeUnixNano());
        node.put("durationMs", (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6);
        node.put("status", span.getStatus().getCode().name().replace("STATUS_CODE_", ""));
        ObjectNode attributes = node.putObject("attributes");
        for (KeyValue attribute : span.getAttributesList()) {
            put(attributes, attribute.getKey(), attribute.getValue());
        }
        return node;
    }

    private static void put(ObjectNode node, String key, AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE -> node.put(key, value.getStringValue());
            case BOOL_VALUE -> node.put(key, value.getBoolValue());
            case INT_VALUE -> node.put(key, value.getIntValue());
            case DOUBLE_VALUE -> node.put(key, value.getDoubleValue());
            default -> node.put(key, value.toString().trim());
        }
    }

    private static String value(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(a -> a.getKey().equals(key)).map(a -> a.getValue().getStringValue())
                .findFirst().orElse(null);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
