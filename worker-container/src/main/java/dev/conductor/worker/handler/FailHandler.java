package dev.conductor.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.worker.JobContext;
import dev.conductor.worker.JobFailure;
import dev.conductor.worker.JobHandler;

/**
 * {@code fail}: payload {@code {"message": "...", "retryable": true|false}} fails the job as asked
 * (defaults: "failed on request", not retryable); for testing the failure paths end to end.
 */
public final class FailHandler implements JobHandler {
  @Override
  public String type() {
    return "fail";
  }

  @Override
  public JsonNode handle(JobContext context, JsonNode payload) throws JobFailure {
    String message = payload.path("message").asText("failed on request");
    throw new JobFailure(
        message.isEmpty() ? "failed on request" : message,
        payload.path("retryable").asBoolean(false));
  }
}
