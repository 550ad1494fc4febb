package dev.conductor.messaging;

/** {@code maxConcurrent}: messages handled at once by one receiver. */
public record ReceiveOptions(int maxConcurrent) {
  public static final ReceiveOptions ONE_AT_A_TIME = new ReceiveOptions(1);

  public ReceiveOptions {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1");
    }
  }
}
