package dev.conductor.messaging.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * Every message on the wire: the routing envelope (type, tenant, workerId, jobId, attempt,
 * generation, sentAt, traceparent) and the fields of its type. Absent fields are omitted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
    MessageType type,
    String tenant,
    String workerId,
    @Nullable String jobId,
    @Nullable Integer attempt,
    @Nullable Long generation,
    Instant sentAt,
    @Nullable String traceparent,
    @Nullable String jobType,
    @Nullable JsonNode payload,
    @Nullable JsonNode result,
    @Nullable String error,
    @Nullable Boolean retryable,
    @Nullable Integer inFlight,
    @Nullable Long timeoutMs,
    @Nullable Long graceMs) {

  public static Envelope job(
      String tenant,
      String workerId,
      String jobId,
      int attempt,
      String jobType,
      JsonNode payload,
      long timeoutMs,
      @Nullable String traceparent) {
    Draft draft = new Draft(MessageType.JOB, tenant, workerId);
    draft.jobId = jobId;
    draft.attempt = attempt;
    draft.traceparent = traceparent;
    draft.jobType = jobType;
    draft.payload = payload;
    draft.timeoutMs = timeoutMs;
    return draft.envelope();
  }

  public static Envelope shutdown(String tenant, String workerId, long graceMs) {
    Draft draft = new Draft(MessageType.SHUTDOWN, tenant, workerId);
    draft.graceMs = graceMs;
    return draft.envelope();
  }

  public static Envelope ready(String tenant, String workerId) {
    return new Draft(MessageType.READY, tenant, workerId).envelope();
  }

  public static Envelope heartbeat(String tenant, String workerId, int inFlight) {
    Draft draft = new Draft(MessageType.HEARTBEAT, tenant, workerId);
    draft.inFlight = inFlight;
    return draft.envelope();
  }

  public static Envelope stopped(String tenant, String workerId) {
    return new Draft(MessageType.STOPPED, tenant, workerId).envelope();
  }

  public static Envelope teardown(String tenant, String workerId, long generation) {
    Draft draft = new Draft(MessageType.TEARDOWN, tenant, workerId);
    draft.generation = generation;
    return draft.envelope();
  }

  /** This message in another trace: a worker's reports carry its handler's span. */
  public Envelope withTraceparent(@Nullable String value) {
    return new Envelope(
        type,
        tenant,
        workerId,
        jobId,
        attempt,
        generation,
        sentAt,
        value,
        jobType,
        payload,
        result,
        error,
        retryable,
        inFlight,
        timeoutMs,
        graceMs);
  }

  /** The worker's report that this job message's attempt has started. */
  public Envelope started(String workerId) {
    return report(MessageType.STARTED, workerId).envelope();
  }

  public Envelope succeeded(String workerId, @Nullable JsonNode jobResult) {
    Draft draft = report(MessageType.SUCCEEDED, workerId);
    draft.result = jobResult;
    return draft.envelope();
  }

  public Envelope failed(String workerId, String jobError, boolean canRetry) {
    Draft draft = report(MessageType.FAILED, workerId);
    draft.error = jobError;
    draft.retryable = canRetry;
    return draft.envelope();
  }

  /** A report on this job message carries its job, attempt and trace, never its payload. */
  private Draft report(MessageType reportType, String reporter) {
    Draft draft = new Draft(reportType, tenant, reporter);
    draft.jobId = jobId;
    draft.attempt = attempt;
    draft.traceparent = traceparent;
    draft.jobType = jobType;
    return draft;
  }

  /** The fields of one message as it is put together; everything not set stays absent. */
  private static final class Draft {
    private final MessageType type;
    private final String tenant;
    private final String workerId;
    private @Nullable String jobId;
    private @Nullable Integer attempt;
    private @Nullable Long generation;
    private @Nullable String traceparent;
    private @Nullable String jobType;
    private @Nullable JsonNode payload;
    private @Nullable JsonNode result;
    private @Nullable String error;
    private @Nullable Boolean retryable;
    private @Nullable Integer inFlight;
    private @Nullable Long timeoutMs;
    private @Nullable Long graceMs;

    private Draft(MessageType type, String tenant, String workerId) {
      this.type = type;
      this.tenant = tenant;
      this.workerId = workerId;
    }

    private Envelope envelope() {
      return new Envelope(
          type,
          tenant,
          workerId,
          jobId,
          attempt,
          generation,
          Instant.now(),
          traceparent,
          jobType,
          payload,
          result,
          error,
          retryable,
          inFlight,
          timeoutMs,
          graceMs);
    }
  }
}
