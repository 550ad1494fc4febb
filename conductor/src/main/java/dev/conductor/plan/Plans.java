package dev.conductor.plan;

import dev.conductor.api.InvalidRequestException;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The configured plans by name. */
@Singleton
public class Plans {
  public static final String DEFAULT = "standard";
  private final Map<String, Plan> byName = new TreeMap<>();

  public Plans(List<Plan> plans) {
    plans.forEach(plan -> byName.put(plan.name(), plan));
  }

  public List<Plan> all() {
    return List.copyOf(byName.values());
  }

  /** The plan, or 422 naming the plans that exist. */
  public Plan require(String name) {
    Plan plan = byName.get(name);
    if (plan == null) {
      throw new InvalidRequestException(
          "unknown plan '" + name + "'; known plans: " + String.join(", ", byName.keySet()));
    }
    return plan;
  }
}
