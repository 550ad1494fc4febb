package dev.conductor.provisioning.local;

import dev.conductor.messaging.BusException;
import dev.conductor.provisioning.ProvisioningException;
import java.sql.SQLException;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns a failed step into a {@link ProvisioningException} named "step object: reason". Only the
 * server's primary message is kept, never the statement, so no secret can leak into it.
 */
final class StepFailure {
  private static final Set<String> TRANSIENT_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

  private StepFailure() {}

  static ProvisioningException of(String step, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean retryable =
        state.startsWith("08") || TRANSIENT_STATES.contains(state) || concurrentlyUpdated(e);
    return new ProvisioningException(step + ": " + reason(e), retryable, e);
  }

  /**
   * Another session changed the same catalog row (a database's grants) meanwhile: PostgreSQL
   * refuses the later change rather than waiting, so doing it again succeeds.
   */
  static boolean concurrentlyUpdated(SQLException e) {
    return "XX000".equals(e.getSQLState())
        && e.getMessage() != null
        && e.getMessage().contains("tuple concurrently updated");
  }

  /** Bus adapters throw {@link BusException}; anything else (a closed bus) needs an operator. */
  static ProvisioningException of(String step, RuntimeException e) {
    boolean retryable = e instanceof BusException bus && bus.isTransient();
    return new ProvisioningException(step + ": " + e.getMessage(), retryable, e);
  }

  private static String reason(SQLException e) {
    if (e instanceof PSQLException psql) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      if (server != null && server.getMessage() != null) {
        return server.getMessage() + " (SQLState " + server.getSQLState() + ")";
      }
    }
    return e.getMessage() + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
  }
}
