package dev.conductor;

import java.util.concurrent.ThreadFactory;

/** Background threads of the conductor: named for thread dumps, daemon so they never block exit. */
public final class Threads {
  private Threads() {}

  public static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
