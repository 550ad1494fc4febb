package dev.conductor.messaging.artemis;

import java.io.StringReader;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.json.JsonObject;
import org.apache.activemq.artemis.json.JsonValue;
import org.apache.activemq.artemis.utils.JsonLoader;

/**
 * The roles of one security-settings address match and what each may do, read and replaced through
 * management. Artemis applies the most specific match alone, never merged with broader ones, so a
 * change starts from the roles that apply to the address right now.
 */
final class ArtemisSecuritySettings {

  /** In the order of {@code addSecuritySettings}' role lists; the names are its JSON keys. */
  enum Permission {
    SEND("send"),
    CONSUME("consume"),
    CREATE_DURABLE_QUEUE("createDurableQueue"),
    DELETE_DURABLE_QUEUE("deleteDurableQueue"),
    CREATE_NON_DURABLE_QUEUE("createNonDurableQueue"),
    DELETE_NON_DURABLE_QUEUE("deleteNonDurableQueue"),
    MANAGE("manage"),
    BROWSE("browse"),
    CREATE_ADDRESS("createAddress"),
    DELETE_ADDRESS("deleteAddress"),
    VIEW("view"),
    EDIT("edit");

    private final String key;

    Permission(String key) {
      this.key = key;
    }
  }

  private final ArtemisManagement management;

  ArtemisSecuritySettings(ArtemisManagement management) {
    this.management = management;
  }

  /** Role name to permissions, from the match itself or the broader one it falls under. */
  Map<String, Set<Permission>> roles(String match) throws Exception {
    String json = (String) management.broker("getRolesAsJSON", match);
    Map<String, Set<Permission>> roles = new TreeMap<>();
    for (JsonValue value : JsonLoader.readArray(new StringReader(json))) {
      JsonObject role = value.asJsonObject();
      Set<Permission> allowed = EnumSet.noneOf(Permission.class);
      for (Permission permission : Permission.values()) {
        if (role.getBoolean(permission.key, false)) {
          allowed.add(permission);
        }
      }
      roles.put(role.getString("name"), allowed);
    }
    return roles;
  }

  /** Sets the match to exactly these roles; persisted by the broker like its other settings. */
  void replace(String match, Map<String, Set<Permission>> roles) throws Exception {
    Permission[] permissions = Permission.values();
    Object[] parameters = new Object[permissions.length + 1];
    parameters[0] = match;
    for (Permission permission : permissions) {
      parameters[permission.ordinal() + 1] =
          roles.entrySet().stream()
              .filter(role -> role.getValue().contains(permission))
              .map(Map.Entry::getKey)
              .collect(Collectors.joining(","));
    }
    management.broker("addSecuritySettings", parameters);
  }

  /** Removes the match, so the address falls back to the broader one. */
  void remove(String match) throws Exception {
    management.broker("removeSecuritySettings", match);
  }
}
