package dev.conductor.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.messaging.protocol.Envelope;
import jakarta.annotation.Nullable;

/** How one job attempt ended, before it is reported: a result, or an error and a retry verdict. */
sealed interface JobOutcome {

  static JobOutcome succeeded(@Nullable JsonNode result) {
    return new Succeeded(result);
  }

  static JobOutcome failed(String error, boolean retryable) {
    return new Failed(error, retryable);
  }

  /** The report for {@code job} as sent by {@code workerId}. */
  Envelope report(Envelope job, String workerId);

  String describe();

  /** A handler may return null: the report then carries no result. */
  record Succeeded(@Nullable JsonNode result) implements JobOutcome {
    @Override
    public Envelope report(Envelope job, String workerId) {
      return job.succeeded(workerId, result);
    }

    @Override
    public String describe() {
      return "succeeded";
    }
  }

  record Failed(String error, boolean retryable) implements JobOutcome {
    @Override
    public Envelope report(Envelope job, String workerId) {
      return job.failed(workerId, error, retryable);
    }

    @Override
    public String describe() {
      return retryable ? "failed-retryable" : "failed";
    }
  }
}
