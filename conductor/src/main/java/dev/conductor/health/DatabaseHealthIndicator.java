package dev.conductor.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;

/**
 * The database in {@code GET /health}, from the liveness probe: it answers at once, also while the
 * database hangs, and names no URL or credential.
 */
@Singleton
public class DatabaseHealthIndicator extends AbstractHealthIndicator<Map<String, String>> {
  private final DatabaseLiveness liveness;

  DatabaseHealthIndicator(DatabaseLiveness liveness) {
    this.liveness = liveness;
  }

  @Override
  protected Map<String, String> getHealthInformation() {
    Instant downSince = liveness.downSince();
    healthStatus = downSince == null ? HealthStatus.UP : HealthStatus.DOWN;
    return downSince == null
        ? Map.of("detail", "answering")
        : Map.of("detail", "not answering since " + downSince);
  }

  @Override
  protected String getName() {
    return "db";
  }
}
