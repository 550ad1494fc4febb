package dev.conductor.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.worker.JobContext;
import dev.conductor.worker.JobHandler;

/** {@code echo}: the result is the payload; proves the round trip. */
public final class EchoHandler implements JobHandler {
  @Override
  public String type() {
    return "echo";
  }

  @Override
  public JsonNode handle(JobContext context, JsonNode payload) {
    return payload;
  }
}
