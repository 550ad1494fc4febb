package dev.conductor.worker;

import com.fasterxml.jackson.databind.JsonNode;

/** A job handler written inline in a test. */
final class TestHandler implements JobHandler {
  @FunctionalInterface
  interface Body {
    JsonNode handle(JobContext context, JsonNode payload) throws Exception;
  }

  private final String type;
  private final Body body;

  private TestHandler(String type, Body body) {
    this.type = type;
    this.body = body;
  }

  static JobHandler of(String type, Body body) {
    return new TestHandler(type, body);
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public JsonNode handle(JobContext context, JsonNode payload) throws Exception {
    return body.handle(context, payload);
  }
}
