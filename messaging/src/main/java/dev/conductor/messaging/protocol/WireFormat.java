package dev.conductor.messaging.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.ReceivedMessage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes envelopes as JSON messages. Broker properties mirror the routing fields so that filters
 * never parse bodies; message ids are deterministic where a duplicate must be recognised.
 */
public final class WireFormat {
  public static final String TYPE = "type";
  public static final String TENANT = "tenant";
  public static final String WORKER_ID = "workerId";

  /** W3C trace context, so brokers' and consumers' tracing can follow a job without the body. */
  public static final String TRACEPARENT = "traceparent";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private WireFormat() {}

  public static OutgoingMessage encode(Envelope envelope) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(TYPE, envelope.type().name());
    if (envelope.tenant() != null) {
      properties.put(TENANT, envelope.tenant());
    }
    if (envelope.workerId() != null) {
      properties.put(WORKER_ID, envelope.workerId());
    }
    if (envelope.traceparent() != null) {
      properties.put(TRACEPARENT, envelope.traceparent());
    }
    try {
      return new OutgoingMessage(messageId(envelope), properties, JSON.writeValueAsBytes(envelope));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode " + envelope.type(), e);
    }
  }

  public static Envelope decode(byte[] body) {
    try {
      Envelope envelope = JSON.readValue(body, Envelope.class);
      if (envelope.type() == null) {
        throw new IllegalArgumentException("message without a type");
      }
      return envelope;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not a conductor message: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a conductor message", e);
    }
  }

  public static Envelope decode(ReceivedMessage message) {
    return decode(message.body());
  }

  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * {@code jobId:attempt} for a job so that a re-dispatch of the same attempt is dropped by the
   * broker; reports carry their type too; a teardown is unique per worker generation.
   */
  static String messageId(Envelope envelope) {
    return switch (envelope.type()) {
      case JOB -> envelope.jobId() + ":" + envelope.attempt();
      case STARTED, SUCCEEDED, FAILED ->
          envelope.jobId() + ":" + envelope.attempt() + ":" + envelope.type();
      case TEARDOWN -> "teardown:" + envelope.workerId() + ":" + envelope.generation();
      default -> envelope.type() + ":" + envelope.workerId() + ":" + UUID.randomUUID();
    };
  }
}
