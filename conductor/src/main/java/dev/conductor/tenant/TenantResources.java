package dev.conductor.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.Resource;
import dev.conductor.secret.SecretBox;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stores each tenant's provisioned resources: identifiers as JSON, secrets sealed by {@link
 * SecretBox}. One row per kind, upserted, so a re-run provisioning never duplicates.
 */
@Singleton
@Transactional
public class TenantResources {
  public static final String DATABASE = "database";
  public static final String QUEUE = "queue";
  public static final String APP = "app";
  public static final String CONTAINER = "container";
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final JdbcOperations jdbc;
  private final SecretBox secretBox;
  private final ObjectMapper json = new ObjectMapper();

  TenantResources(JdbcOperations jdbc, SecretBox secretBox) {
    this.jdbc = jdbc;
    this.secretBox = secretBox;
  }

  public void store(UUID tenantId, ProvisionedResources resources, Instant now) {
    store(tenantId, DATABASE, resources.database(), now);
    store(tenantId, QUEUE, resources.queue(), now);
    store(tenantId, APP, resources.app(), now);
    store(tenantId, CONTAINER, resources.container(), now);
  }

  private void store(UUID tenantId, String kind, Resource resource, Instant now) {
    byte[] sealed =
        resource.secrets().isEmpty() ? null : secretBox.seal(toJson(resource.secrets()));
    jdbc.prepareStatement(
        "INSERT INTO tenant_resources (tenant_id, kind, identifiers, secrets, updated_at)"
            + " VALUES (?, ?, CAST(? AS jsonb), ?, ?)"
            + " ON CONFLICT (tenant_id, kind) DO UPDATE SET identifiers = EXCLUDED.identifiers,"
            + " secrets = EXCLUDED.secrets, updated_at = EXCLUDED.updated_at",
        (PreparedStatement statement) -> {
          statement.setObject(1, tenantId);
          statement.setString(2, kind);
          statement.setString(
              3, new String(toJson(resource.identifiers()), StandardCharsets.UTF_8));
          statement.setBytes(4, sealed);
          statement.setTimestamp(5, Timestamp.from(now));
          return statement.executeUpdate();
        });
  }

  /** Identifiers by kind; secrets are never read here. */
  public Map<String, Map<String, String>> identifiers(UUID tenantId) {
    return jdbc.prepareStatement(
        "SELECT kind, identifiers::text FROM tenant_resources WHERE tenant_id = ? ORDER BY kind",
        (PreparedStatement statement) -> {
          statement.setObject(1, tenantId);
          Map<String, Map<String, String>> byKind = new LinkedHashMap<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              byKind.put(rows.getString(1), fromJson(rows.getString(2)));
            }
          }
          return byKind;
        });
  }

  /** As {@link #identifiers(UUID)} for many tenants in one query: a listing's, never one each. */
  public Map<UUID, Map<String, Map<String, String>>> identifiers(Collection<UUID> tenantIds) {
    if (tenantIds.isEmpty()) {
      return Map.of();
    }
    return jdbc.prepareStatement(
        "SELECT tenant_id, kind, identifiers::text FROM tenant_resources"
            + " WHERE tenant_id = ANY(?) ORDER BY tenant_id, kind",
        (PreparedStatement statement) -> {
          statement.setArray(
              1, statement.getConnection().createArrayOf("uuid", tenantIds.toArray()));
          Map<UUID, Map<String, Map<String, String>>> byTenant = new HashMap<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              byTenant
                  .computeIfAbsent(rows.getObject(1, UUID.class), id -> new LinkedHashMap<>())
                  .put(rows.getString(2), fromJson(rows.getString(3)));
            }
          }
          return byTenant;
        });
  }

  /**
   * One resource's identifiers and decrypted secrets, for the conductor's own use (a worker's bus
   * credentials); never for an API response or a log line.
   */
  public Optional<Resource> resource(UUID tenantId, String kind) {
    return jdbc.prepareStatement(
        "SELECT identifiers::text, secrets FROM tenant_resources WHERE tenant_id = ? AND kind = ?",
        (PreparedStatement statement) -> {
          statement.setObject(1, tenantId);
          statement.setString(2, kind);
          try (ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
              return Optional.<Resource>empty();
            }
            byte[] sealed = row.getBytes(2);
            Map<String, String> secrets =
                sealed == null
                    ? Map.of()
                    : fromJson(new String(secretBox.open(sealed), StandardCharsets.UTF_8));
            return Optional.of(new Resource(fromJson(row.getString(1)), secrets));
          }
        });
  }

  /** Updates one identifier in place, e.g. the app's credential id after a key rotation. */
  public void updateIdentifier(UUID tenantId, String kind, String key, String value, Instant now) {
    jdbc.prepareStatement(
        "UPDATE tenant_resources SET identifiers = jsonb_set(identifiers, ARRAY[?], to_jsonb(?::text)),"
            + " updated_at = ? WHERE tenant_id = ? AND kind = ?",
        (PreparedStatement statement) -> {
          statement.setString(1, key);
          statement.setString(2, value);
          statement.setTimestamp(3, Timestamp.from(now));
          statement.setObject(4, tenantId);
          statement.setString(5, kind);
          return statement.executeUpdate();
        });
  }

  /** What a re-seal did: secrets sealed again, already sealed with the current key, unopenable. */
  public record Resealed(int resealed, int alreadyCurrent, int unreadable) {}

  /**
   * Seals again with the current key every stored secret a previous key sealed, rows locked while
   * the caller's transaction lasts; one that no known key opens is counted and left as it is.
   */
  public Resealed reseal() {
    record Sealed(UUID tenantId, String kind, byte[] secrets) {}
    List<Sealed> rows =
        jdbc.prepareStatement(
            "SELECT tenant_id, kind, secrets FROM tenant_resources WHERE secrets IS NOT NULL"
                + " FOR UPDATE",
            (PreparedStatement statement) -> {
              List<Sealed> found = new ArrayList<>();
              try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                  found.add(
                      new Sealed(row.getObject(1, UUID.class), row.getString(2), row.getBytes(3)));
                }
              }
              return found;
            });
    int resealed = 0;
    int current = 0;
    int unreadable = 0;
    for (Sealed row : rows) {
      if (secretBox.sealedWithCurrent(row.secrets())) {
        current++;
        continue;
      }
      byte[] plain;
      try {
        plain = secretBox.open(row.secrets());
      } catch (IllegalStateException e) {
        unreadable++;
        continue;
      }
      byte[] again = secretBox.seal(plain);
      jdbc.prepareStatement(
          "UPDATE tenant_resources SET secrets = ? WHERE tenant_id = ? AND kind = ?",
          (PreparedStatement statement) -> {
            statement.setBytes(1, again);
            statement.setObject(2, row.tenantId());
            statement.setString(3, row.kind());
            return statement.executeUpdate();
          });
      resealed++;
    }
    return new Resealed(resealed, current, unreadable);
  }

  public void deleteAll(UUID tenantId) {
    jdbc.prepareStatement(
        "DELETE FROM tenant_resources WHERE tenant_id = ?",
        (PreparedStatement statement) -> {
          statement.setObject(1, tenantId);
          return statement.executeUpdate();
        });
  }

  private byte[] toJson(Map<String, String> map) {
    try {
      return json.writeValueAsBytes(new TreeMap<>(map));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, String> fromJson(String text) {
    try {
      return json.readValue(text, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
