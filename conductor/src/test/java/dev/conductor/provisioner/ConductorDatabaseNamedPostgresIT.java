package dev.conductor.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONDUCTOR_DB_URL may name the server's {@code postgres} database, which the local provisioner
 * also protects from tenants: start-up must not trip over the name given twice.
 */
class ConductorDatabaseNamedPostgresIT {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aConductorWhoseDatabaseIsNamedPostgresStartsAndOnboards() {
    try (RunningConductor server = RunningConductor.start(Map.of())) {
      var database = server.server().context();
      String url =
          database
              .getRequiredProperty("datasources.default.url", String.class)
              .replace("/conductor", "/postgres");
      try (RunningConductor onPostgres =
          RunningConductor.start(
              Map.of(
                  "datasources.default.url",
                  url,
                  "datasources.default.username",
                  database.getRequiredProperty("datasources.default.username", String.class),
                  "datasources.default.password",
                  database.getRequiredProperty("datasources.default.password", String.class)))) {
        onPostgres.onboard("external", "dev");
        assertThat(onPostgres.databaseCount("tenant_external")).isEqualTo(1);
        onPostgres.offboard("external");
      }
    }
  }
}
