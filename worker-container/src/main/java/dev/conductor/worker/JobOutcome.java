package dev.conductor.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.messaging.protocol.Envelope;

/** How one job attempt ended, before it is reported. */
record JobOutcome(boolean succeeded, JsonNode result, String error, boolean retryable) {

  static JobOutcome succeeded(JsonNode result) {
    return new JobOutcome(true, result, null, false);
  }

  static JobOutcome failed(String error, boolean retryable) {
    return new JobOutcome(false, null, error, retryable);
  }

  /** The report for {@code job} as sent by {@code workerId}. */
  Envelope report(Envelope job, String workerId) {
    return succeeded ? job.succeeded(workerId, result) : job.failed(workerId, error, retryable);
  }

  String describe() {
    return succeeded ? "succeeded" : retryable ? "failed-retryable" : "failed";
  }
}
