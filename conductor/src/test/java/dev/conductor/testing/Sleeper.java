package dev.conductor.testing;

/**
 * A stand-in process for tests: sleeps for the milliseconds given (two minutes by default), or
 * until killed. With {@code ignore-sigterm} it outlives a SIGTERM, as a stuck worker would, until
 * SIGKILL.
 */
public final class Sleeper {
  private Sleeper() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 1 && args[1].equals("ignore-sigterm")) {
      // The JVM waits for its shutdown hooks: one that sleeps keeps it alive after SIGTERM.
      Runtime.getRuntime().addShutdownHook(new Thread(Sleeper::sleepLong));
    }
    // Tells a test watching the output that a SIGTERM now meets the hook, not a starting JVM.
    System.out.println("sleeping");
    Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "120000"));
  }

  private static void sleepLong() {
    try {
      Thread.sleep(600_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
