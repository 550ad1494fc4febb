package dev.conductor.messaging;

/**
 * {@code maxConcurrent}: messages handled at once by one receiver. {@code pipelinedCompletion}:
 * {@link ReceivedMessage#complete} may return once the completion is on its way to the broker, not
 * once the broker has taken it (where the adapter can; others complete as usual), so a completion
 * lost with the connection or the process has the message delivered again: for handlers that
 * already take a redelivery (at-least-once), to spare each message a blocking round trip.
 */
public record ReceiveOptions(int maxConcurrent, boolean pipelinedCompletion) {
  public static final ReceiveOptions ONE_AT_A_TIME = new ReceiveOptions(1);

  public ReceiveOptions {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1");
    }
  }

  /** Completions confirmed by the broker before {@link ReceivedMessage#complete} returns. */
  public ReceiveOptions(int maxConcurrent) {
    this(maxConcurrent, false);
  }
}
