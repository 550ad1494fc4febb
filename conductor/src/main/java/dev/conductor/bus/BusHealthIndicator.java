package dev.conductor.bus;

import dev.conductor.messaging.BusHealth;
import dev.conductor.messaging.MessageBus;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.Map;

/** Reports the message bus in {@code GET /health} next to the database. */
@Singleton
public class BusHealthIndicator extends AbstractHealthIndicator<Map<String, String>> {
  private final MessageBus bus;

  BusHealthIndicator(MessageBus bus) {
    this.bus = bus;
  }

  @Override
  protected Map<String, String> getHealthInformation() {
    BusHealth health = bus.health();
    healthStatus = health.up() ? HealthStatus.UP : HealthStatus.DOWN;
    return Map.of("detail", health.detail());
  }

  @Override
  protected String getName() {
    return "bus";
  }
}
