package dev.conductor.messaging;

import java.util.Map;

/**
 * A message to send. {@code messageId} is deterministic (for jobs {@code jobId:attempt}) so brokers
 * and consumers can de-duplicate; properties carry the routing fields filters match on.
 */
public record OutgoingMessage(String messageId, Map<String, String> properties, byte[] body) {
  public OutgoingMessage {
    if (messageId == null || messageId.isBlank()) {
      throw new IllegalArgumentException("messageId is required");
    }
    properties = Map.copyOf(properties);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
