package dev.conductor.runtime;

/** A program for WorkerClassDataTest: loads a few classes, then waits or ends as asked. */
public final class ClassDataProbe {
  private ClassDataProbe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(new java.util.concurrent.ConcurrentSkipListMap<String, String>().size());
    if (args.length > 0 && args[0].equals("wait")) {
      Thread.sleep(60_000);
    }
  }
}
