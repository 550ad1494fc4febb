package dev.conductor.tracing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf, uncompressed): what an
 * OpenTelemetry collector sees from the conductor and its worker processes. It decodes the few span
 * fields the tests check with a hand-written protobuf reader, so no collector is needed.
 */
final class OtlpReceiver implements AutoCloseable {
  /** A received span: ids in hex (parent empty for a root), and its process's service.name. */
  record ReceivedSpan(
      String service, String traceId, String spanId, String parentSpanId, String name, int kind) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", this::receive);
    server.start();
  }

  /** The endpoint to configure ({@code conductor.tracing.otlp-endpoint}). */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      try {
        spans.addAll(request(new Reader(body.readAllBytes())));
      } catch (RuntimeException e) {
        // A request this reader cannot decode fails the test by its missing spans; say why.
        e.printStackTrace();
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      // An empty ExportTraceServiceResponse: everything accepted.
      exchange.sendResponseHeaders(200, -1);
    }
  }

  /** ExportTraceServiceRequest: 1 = ResourceSpans. */
  private static List<ReceivedSpan> request(Reader in) {
    List<ReceivedSpan> found = new ArrayList<>();
    while (in.more()) {
      int field = in.tag();
      if (field == 1) {
        found.addAll(resourceSpans(in.message()));
      } else {
        in.skip();
      }
    }
    return found;
  }

  /** ResourceSpans: 1 = Resource (its service.name), 2 = ScopeSpans. */
  private static List<ReceivedSpan> resourceSpans(Reader in) {
    String service = "";
    List<Reader> scopes = new ArrayList<>();
    while (in.more()) {
      int field = in.tag();
      if (field == 1) {
        Reader resource = in.message();
        while (resource.more()) {
          if (resource.tag() == 1) {
            String[] attribute = stringAttribute(resource.message());
            if ("service.name".equals(attribute[0])) {
              service = attribute[1];
            }
          } else {
            resource.skip();
          }
        }
      } else if (field == 2) {
        scopes.add(in.message());
      } else {
        in.skip();
      }
    }
    List<ReceivedSpan> found = new ArrayList<>();
    for (Reader scope : scopes) {
      while (scope.more()) {
        if (scope.tag() == 2) {
          found.add(span(service, scope.message()));
        } else {
          scope.skip();
        }
      }
    }
    return found;
  }

  /** KeyValue: 1 = key, 2 = AnyValue (1 = string_value). */
  private static String[] stringAttribute(Reader in) {
    String key = "";
    String value = "";
    while (in.more()) {
      int field = in.tag();
      if (field == 1) {
        key = in.string();
      } else if (field == 2) {
        Reader any = in.message();
        while (any.more()) {
          if (any.tag() == 1) {
            value = any.string();
          } else {
            any.skip();
          }
        }
      } else {
        in.skip();
      }
    }
    return new String[] {key, value};
  }

  /** Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind. */
  private static ReceivedSpan span(String service, Reader in) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    while (in.more()) {
      switch (in.tag()) {
        case 1 -> traceId = HexFormat.of().formatHex(in.bytes());
        case 2 -> spanId = HexFormat.of().formatHex(in.bytes());
        case 4 -> parent = HexFormat.of().formatHex(in.bytes());
        case 5 -> name = in.string();
        case 6 -> kind = (int) in.varint();
        default -> in.skip();
      }
    }
    return new ReceivedSpan(service, traceId, spanId, parent, name, kind);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** The protobuf wire format, just enough of it: varints, length-delimited fields, skipping. */
  private static final class Reader {
    private final byte[] data;
    private int at;
    private final int end;
    private int wireType;

    Reader(byte[] data) {
      this(data, 0, data.length);
    }

    private Reader(byte[] data, int from, int end) {
      this.data = data;
      this.at = from;
      this.end = end;
    }

    boolean more() {
      return at < end;
    }

    int tag() {
      long key = varint();
      wireType = (int) (key & 7);
      return (int) (key >>> 3);
    }

    long varint() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = data[at++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }

    byte[] bytes() {
      int length = (int) varint();
      byte[] value = java.util.Arrays.copyOfRange(data, at, at + length);
      at += length;
      return value;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader message() {
      int length = (int) varint();
      Reader nested = new Reader(data, at, at + length);
      at += length;
      return nested;
    }

    void skip() {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> at += 8;
        case 2 -> {
          int length = (int) varint();
          at += length;
        }
        case 5 -> at += 4;
        default -> throw new IllegalStateException("wire type " + wireType);
      }
    }
  }
}
