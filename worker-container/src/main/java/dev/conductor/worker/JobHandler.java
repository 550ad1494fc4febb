package dev.conductor.worker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the jobs of one type. Implementations are found with {@link java.util.ServiceLoader}: list
 * the class in {@code META-INF/services/dev.conductor.worker.JobHandler} of a jar on the worker's
 * class path. One instance serves every job of its type, possibly several at once.
 *
 * <p>Outcomes: a returned value is the job's result; a {@link JobFailure} fails the job with its
 * retryable flag; any other exception fails it as retryable. The worker interrupts the handler's
 * thread when the job's timeout passes or the worker stops; long-running handlers should check
 * {@link JobContext#isInterrupted()} or let {@link InterruptedException} propagate.
 */
public interface JobHandler {

  /** The job type this handler runs, unique across the class path. */
  String type();

  /**
   * Runs one job.
   *
   * @param payload the job's payload; {@code NullNode} when the job has none
   * @return the result reported to the conductor; may be null for none
   */
  JsonNode handle(JobContext context, JsonNode payload) throws Exception;
}
