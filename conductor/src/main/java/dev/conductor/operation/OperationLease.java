package dev.conductor.operation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Claims operations with {@code FOR UPDATE SKIP LOCKED} and keeps the claim alive with a lease, so
 * that several conductors share the work and a crashed one's operations are taken over once its
 * lease runs out.
 */
@Singleton
public class OperationLease {
  private final JdbcOperations jdbc;

  OperationLease(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A claimed operation: this conductor runs it until it ends or its lease is lost. {@code plan} is
   * an UPDATE's target plan; {@code cancelRequested} is true when it was cancelled before this
   * claim (while requeued, or under a conductor that died).
   */
  public record Claim(
      UUID operationId,
      UUID tenantId,
      OperationKind kind,
      int attempt,
      @Nullable String plan,
      boolean cancelRequested) {}

  /** What a lease renewal found. */
  public enum Renewal {
    HELD,
    CANCEL_REQUESTED,
    LOST
  }

  @Transactional
  public Optional<Claim> claimNext(String owner, Duration lease) {
    return jdbc.prepareStatement(
        "UPDATE operations SET status = 'RUNNING', lease_owner = ?,"
            + " lease_until = now() + make_interval(secs => ?), attempts = attempts + 1,"
            + " updated_at = now()"
            + " WHERE id = (SELECT id FROM operations"
            + "   WHERE (status = 'QUEUED' AND (lease_until IS NULL OR lease_until <= now()))"
            + "      OR (status = 'RUNNING' AND lease_until < now())"
            + "   ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)"
            + " RETURNING id, tenant_id, kind, attempts, plan, cancel_requested",
        (PreparedStatement statement) -> {
          statement.setString(1, owner);
          statement.setDouble(2, lease.toMillis() / 1000.0);
          try (ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
              return Optional.<Claim>empty();
            }
            return Optional.of(
                new Claim(
                    row.getObject(1, UUID.class),
                    row.getObject(2, UUID.class),
                    OperationKind.valueOf(row.getString(3)),
                    row.getInt(4),
                    row.getString(5),
                    row.getBoolean(6)));
          }
        });
  }

  /**
   * Extends the lease and reads whether a cancel was requested since; LOST if another conductor has
   * taken the operation over.
   */
  @Transactional
  public Renewal renew(UUID operationId, String owner, Duration lease) {
    return jdbc.prepareStatement(
        "UPDATE operations SET lease_until = now() + make_interval(secs => ?)"
            + " WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'"
            + " RETURNING cancel_requested",
        (PreparedStatement statement) -> {
          statement.setDouble(1, lease.toMillis() / 1000.0);
          statement.setObject(2, operationId);
          statement.setString(3, owner);
          try (ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
              return Renewal.LOST;
            }
            return row.getBoolean(1) ? Renewal.CANCEL_REQUESTED : Renewal.HELD;
          }
        });
  }

  /** Ends a QUEUED operation as CANCELLED; false if it is no longer queued. */
  @Transactional
  public boolean cancelQueued(UUID operationId, String reason) {
    return jdbc.prepareStatement(
            "UPDATE operations SET status = 'CANCELLED', error = ?, lease_owner = NULL,"
                + " lease_until = NULL, updated_at = now() WHERE id = ? AND status = 'QUEUED'",
            (PreparedStatement statement) -> {
              statement.setString(1, reason);
              statement.setObject(2, operationId);
              return statement.executeUpdate();
            })
        == 1;
  }

  /**
   * Asks whichever conductor runs the operation to stop it; that one reads the flag when it next
   * renews the lease. False if the operation is not RUNNING.
   */
  @Transactional
  public boolean requestCancel(UUID operationId) {
    return jdbc.prepareStatement(
            "UPDATE operations SET cancel_requested = true, updated_at = now()"
                + " WHERE id = ? AND status = 'RUNNING'",
            (PreparedStatement statement) -> {
              statement.setObject(1, operationId);
              return statement.executeUpdate();
            })
        == 1;
  }

  /** Ends the operation if we still own it. */
  @Transactional
  public boolean finish(
      UUID operationId, String owner, OperationStatus status, @Nullable String error) {
    return jdbc.prepareStatement(
            "UPDATE operations SET status = ?, error = ?, lease_owner = NULL, lease_until = NULL,"
                + " updated_at = now() WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'",
            (PreparedStatement statement) -> {
              statement.setString(1, status.name());
              statement.setString(2, error);
              statement.setObject(3, operationId);
              statement.setString(4, owner);
              return statement.executeUpdate();
            })
        == 1;
  }

  /**
   * Gives a running operation back to the queue at once, from a conductor that is stopping: the
   * next conductor to poll resumes it instead of waiting for the lease to run out.
   */
  @Transactional
  public boolean handBack(UUID operationId, String owner) {
    return jdbc.prepareStatement(
            "UPDATE operations SET status = 'QUEUED', lease_owner = NULL, lease_until = NULL,"
                + " updated_at = now() WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'",
            (PreparedStatement statement) -> {
              statement.setObject(1, operationId);
              statement.setString(2, owner);
              return statement.executeUpdate();
            })
        == 1;
  }

  /** Puts the operation back in the queue, not to be claimed before {@code notBefore}. */
  @Transactional
  public boolean requeue(
      UUID operationId, String owner, Instant notBefore, @Nullable String error) {
    return jdbc.prepareStatement(
            "UPDATE operations SET status = 'QUEUED', error = ?, lease_owner = NULL,"
                + " lease_until = ?, updated_at = now()"
                + " WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'",
            (PreparedStatement statement) -> {
              statement.setString(1, error);
              statement.setTimestamp(2, java.sql.Timestamp.from(notBefore));
              statement.setObject(3, operationId);
              statement.setString(4, owner);
              return statement.executeUpdate();
            })
        == 1;
  }
}
