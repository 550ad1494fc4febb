package dev.conductor.operator;

import dev.conductor.api.ConflictException;
import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.NotFoundException;
import dev.conductor.secret.ApiKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Named operator tokens in table {@code operator_tokens}: 256 random bits shown once, kept as a
 * SHA-256 hash. Not cached: every request with a named token reads its row, so a revocation holds
 * on every replica from its commit on.
 */
@Singleton
public class OperatorTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,39}");

  /** last_used_at is written at most this often per token: reads stay reads. */
  private static final Duration LAST_USED_STEP = Duration.ofMinutes(1);

  /** A live token's row, without its hash. */
  public record Stored(
      String name,
      OperatorRole role,
      Instant createdAt,
      String createdBy,
      @Nullable Instant lastUsedAt) {}

  /** A new token and its row; the token is shown once. */
  public record Issued(Stored operator, String token) {
    @Override
    public String toString() {
      return "Issued[name=" + operator.name() + "]";
    }
  }

  private final TransactionOperations<Connection> tx;
  private final Clock clock;

  OperatorTokens(TransactionOperations<Connection> tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  /** Issues a token named {@code name}; the name is free once its last token was revoked. */
  public Issued create(@Nullable String name, @Nullable String role, Operator by) {
    String problem = problemWithName(name);
    if (problem != null) {
      throw new InvalidRequestException(problem);
    }
    String checked = Objects.requireNonNull(name, "problemWithName reports a missing name");
    OperatorRole parsed = OperatorRole.named(role);
    if (parsed == null) {
      throw new InvalidRequestException("role must be one of " + OperatorRole.choices());
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "co_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    Stored stored = new Stored(checked, parsed, now, by.name(), null);
    tx.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO operator_tokens (id, name, role, token_hash, created_at, created_by)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, checked);
            insert.setString(3, parsed.wire());
            insert.setString(4, ApiKeys.hash(token));
            insert.setTimestamp(5, Timestamp.from(now));
            insert.setString(6, by.name());
            if (insert.executeUpdate() == 0) {
              throw new ConflictException(
                  "operator '" + name + "' exists; revoke it first to issue a new token");
            }
            return null;
          } catch (SQLException e) {
            throw new IllegalStateException("could not store the operator token", e);
          }
        });
    return new Issued(stored, token);
  }

  /** Null when the name is a lowercase slug other than the built-in admin's, else why not. */
  static @Nullable String problemWithName(@Nullable String name) {
    if (name == null || name.isBlank()) {
      return "operator name is required";
    }
    if (!NAME.matcher(name).matches()) {
      return "operator name must be a lowercase slug of 2 to 40 characters: a letter, then"
          + " letters, digits or '-'";
    }
    if (name.equals(Operator.BUILT_IN_ADMIN.name())) {
      return "operator name 'admin' is the built-in admin token's";
    }
    return null;
  }

  /** Every live named token by name. */
  public List<Stored> list() {
    return tx.executeRead(
        status -> {
          try (PreparedStatement query =
              status
                  .getConnection()
                  .prepareStatement(
                      "SELECT name, role, created_at, created_by, last_used_at FROM operator_tokens"
                          + " WHERE revoked_at IS NULL ORDER BY name")) {
            List<Stored> live = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                live.add(stored(rows));
              }
            }
            return live;
          } catch (SQLException e) {
            throw new IllegalStateException("could not list operator tokens", e);
          }
        });
  }

  /** Revokes the live token of that name: its next request is refused, on every replica. */
  public void revoke(String name) {
    tx.executeWrite(
        status -> {
          try (PreparedStatement update =
              status
                  .getConnection()
                  .prepareStatement(
                      "UPDATE operator_tokens SET revoked_at = ? WHERE name = ?"
                          + " AND revoked_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setString(2, name);
            if (update.executeUpdate() == 0) {
              throw new NotFoundException("operator '" + name + "' not found");
            }
            return null;
          } catch (SQLException e) {
            throw new IllegalStateException("could not revoke the operator token", e);
          }
        });
  }

  /** The live named token presented, or null; notes its use at most once a minute. */
  public @Nullable Operator authenticate(String presented) {
    String hash = ApiKeys.hash(presented);
    Instant now = clock.instant();
    return tx.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT name, role, created_at, created_by, last_used_at FROM operator_tokens"
                      + " WHERE token_hash = ? AND revoked_at IS NULL")) {
            query.setString(1, hash);
            Stored found;
            try (ResultSet row = query.executeQuery()) {
              if (!row.next()) {
                return null;
              }
              found = stored(row);
            }
            if (found.lastUsedAt() == null
                || !now.isBefore(found.lastUsedAt().plus(LAST_USED_STEP))) {
              try (PreparedStatement touch =
                  connection.prepareStatement(
                      "UPDATE operator_tokens SET last_used_at = ? WHERE token_hash = ?")) {
                touch.setTimestamp(1, Timestamp.from(now));
                touch.setString(2, hash);
                touch.executeUpdate();
              }
            }
            return new Operator(found.name(), found.role());
          } catch (SQLException e) {
            throw new IllegalStateException("could not look up an operator token", e);
          }
        });
  }

  private static Stored stored(ResultSet row) throws SQLException {
    Timestamp lastUsed = row.getTimestamp("last_used_at");
    OperatorRole role = OperatorRole.named(row.getString("role"));
    if (role == null) {
      throw new IllegalStateException("operator_tokens holds an unknown role");
    }
    return new Stored(
        row.getString("name"),
        role,
        row.getTimestamp("created_at").toInstant(),
        row.getString("created_by"),
        lastUsed == null ? null : lastUsed.toInstant());
  }
}
