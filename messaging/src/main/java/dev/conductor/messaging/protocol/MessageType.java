package dev.conductor.messaging.protocol;

/** What a message between the conductor and its workers means. */
public enum MessageType {
  /** Conductor to worker, on the tenant's job topic filtered by workerId: run this job. */
  JOB,
  /** Conductor to worker: stop taking work, finish in-flight jobs, exit. */
  SHUTDOWN,
  /** Worker to conductor, on the tenant's control queue: subscribed and ready for jobs. */
  READY,
  STARTED,
  SUCCEEDED,
  FAILED,
  /** Worker to conductor while alive, with its in-flight count. */
  HEARTBEAT,
  /** Worker to conductor: exiting now. */
  STOPPED,
  /** Conductor to itself, scheduled at now + idle timeout on the teardown queue. */
  TEARDOWN
}
