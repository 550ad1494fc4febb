package dev.conductor.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A poll for operations that fails (the database restarting, say) gives its slot back: before, each
 * failed poll kept one of {@code max-concurrent} slots for good, and after that many failures no
 * operation ever ran again (a tenant stayed DELETING after PostgreSQL crash-restarted under load).
 */
class OperationPollFailureIT {

  @Test
  void operationsStillRunAfterPollsFailed() throws Exception {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put("conductor.operations.max-concurrent", 1);
    try (RunningConductor conductor = RunningConductor.start(properties);
        Connection superuser = conductor.superuserConnection();
        Statement statement = superuser.createStatement()) {
      statement.execute("ALTER TABLE operations RENAME TO operations_away");
      // Several polls (every 200 ms here) fail while the table is away.
      Thread.sleep(2_000);
      statement.execute("ALTER TABLE operations_away RENAME TO operations");

      conductor.onboard("after-outage", "dev");
      assertThat(conductor.tenant("after-outage").path("status").asText()).isEqualTo("READY");
      conductor.offboard("after-outage");
      assertThat(conductor.get("/v1/operations?tenant=after-outage&status=SUCCEEDED").body())
          .contains("\"kind\":\"DEPROVISION\"");
    }
  }
}
