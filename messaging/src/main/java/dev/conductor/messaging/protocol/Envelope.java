package dev.conductor.messaging.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
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
    String jobId,
    Integer attempt,
    Long generation,
    Instant sentAt,
    String traceparent,
    String jobType,
    JsonNode payload,
    JsonNode result,
    String error,
    Boolean retryable,
    Integer inFlight,
    Long timeoutMs,
    Long graceMs) {

  private static Envelope of(MessageType type, String tenant, String workerId) {
    return new Envelope(
        type,
        tenant,
        workerId,
        null,
        null,
        null,
        Instant.now(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public static Envelope job(
      String tenant,
      String workerId,
      String jobId,
      int attempt,
      String jobType,
      JsonNode payload,
      long timeoutMs,
      String traceparent) {
    return new Envelope(
        MessageType.JOB,
        tenant,
        workerId,
        jobId,
        attempt,
        null,
        Instant.now(),
        traceparent,
        jobType,
        payload,
        null,
        null,
        null,
        null,
        timeoutMs,
        null);
  }

  public static Envelope shutdown(String tenant, String workerId, long graceMs) {
    return of(MessageType.SHUTDOWN, tenant, workerId).withGraceMs(graceMs);
  }

  public static Envelope ready(String tenant, String workerId) {
    return of(MessageType.READY, tenant, workerId);
  }

  public static Envelope heartbeat(String tenant, String workerId, int inFlight) {
    Envelope e = of(MessageType.HEARTBEAT, tenant, workerId);
    return new Envelope(
        e.type,
        e.tenant,
        e.workerId,
        null,
        null,
        null,
        e.sentAt,
        null,
        null,
        null,
        null,
        null,
        null,
        inFlight,
        null,
        null);
  }

  public static Envelope stopped(String tenant, String workerId) {
    return of(MessageType.STOPPED, tenant, workerId);
  }

  public static Envelope teardown(String tenant, String workerId, long generation) {
    Envelope e = of(MessageType.TEARDOWN, tenant, workerId);
    return new Envelope(
        e.type,
        e.tenant,
        e.workerId,
        null,
        null,
        generation,
        e.sentAt,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The worker's report that this job message's attempt has started. */
  public Envelope started(String workerId) {
    return report(MessageType.STARTED, workerId, null, null, null);
  }

  public Envelope succeeded(String workerId, JsonNode jobResult) {
    return report(MessageType.SUCCEEDED, workerId, jobResult, null, null);
  }

  public Envelope failed(String workerId, String jobError, boolean canRetry) {
    return report(MessageType.FAILED, workerId, null, jobError, canRetry);
  }

  private Envelope report(
      MessageType reportType, String reporter, JsonNode jobResult, String jobError, Boolean retry) {
    return new Envelope(
        reportType,
        tenant,
        reporter,
        jobId,
        attempt,
        null,
        Instant.now(),
        traceparent,
        jobType,
        null,
        jobResult,
        jobError,
        retry,
        null,
        null,
        null);
  }

  private Envelope withGraceMs(long grace) {
    return new Envelope(
        type,
        tenant,
        workerId,
        jobId,
        attempt,
        generation,
        sentAt,
        traceparent,
        jobType,
        payload,
        result,
        error,
        retryable,
        inFlight,
        timeoutMs,
        grace);
  }
}
