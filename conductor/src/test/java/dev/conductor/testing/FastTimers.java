package dev.conductor.testing;

import java.util.HashMap;
import java.util.Map;

/** Short worker timers for tests, and a plan ("tight") whose jobs time out after one second. */
public final class FastTimers {
  private FastTimers() {}

  public static Map<String, Object> properties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("conductor.plans.dev.idle-timeout", "3s");
    properties.put("conductor.workers.heartbeat-interval", "500ms");
    // Far above the interval: a stalled CI machine must not make a healthy worker LOST.
    properties.put("conductor.workers.heartbeat-timeout", "15s");
    properties.put("conductor.workers.shutdown-grace", "5s");
    properties.put("conductor.workers.reconcile-interval", "500ms");
    // A plan whose jobs time out after one second.
    properties.put("conductor.plans.tight.worker-capacity", 1);
    properties.put("conductor.plans.tight.max-workers-per-key", 1);
    properties.put("conductor.plans.tight.max-workers-per-tenant", 1);
    properties.put("conductor.plans.tight.idle-timeout", "3s");
    properties.put("conductor.plans.tight.max-attempts", 3);
    properties.put("conductor.plans.tight.job-timeout", "1s");
    properties.put("conductor.plans.tight.max-payload-bytes", 1024);
    return properties;
  }
}
