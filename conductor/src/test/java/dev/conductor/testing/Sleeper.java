package dev.conductor.testing;

/** A stand-in process for tests: sleeps until killed. */
public final class Sleeper {
  private Sleeper() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "120000"));
  }
}
