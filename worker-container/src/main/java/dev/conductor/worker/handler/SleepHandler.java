package dev.conductor.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.worker.JobContext;
import dev.conductor.worker.JobFailure;
import dev.conductor.worker.JobHandler;

/** {@code sleep}: payload {@code {"ms": N}}, result {@code {"sleptMs": N}}; a stand-in for work. */
public final class SleepHandler implements JobHandler {
  @Override
  public String type() {
    return "sleep";
  }

  @Override
  public JsonNode handle(JobContext context, JsonNode payload)
      throws JobFailure, InterruptedException {
    JsonNode ms = payload.path("ms");
    if (!ms.canConvertToLong() || !ms.isIntegralNumber() || ms.asLong() < 0) {
      throw new JobFailure("sleep needs a payload {\"ms\": N} with N >= 0", false);
    }
    Thread.sleep(ms.asLong());
    return JsonNodeFactory.instance.objectNode().put("sleptMs", ms.asLong());
  }
}
