package dev.conductor.messaging.artemis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.core.persistence.config.PersistedRole;
import org.apache.activemq.artemis.core.persistence.config.PersistedUser;
import org.apache.activemq.artemis.core.persistence.impl.nullpm.NullStorageManager;

/**
 * Storage for a broker without persistence that still keeps the basic security manager's users and
 * roles, in memory: Artemis' own null storage drops them, so nobody, not even the admin, could log
 * in.
 */
final class InMemoryUserStorage extends NullStorageManager {
  private final Map<String, PersistedUser> users = new ConcurrentHashMap<>();
  private final Map<String, PersistedRole> roles = new ConcurrentHashMap<>();

  @Override
  public void storeUser(PersistedUser user) {
    users.put(user.getUsername(), user);
  }

  @Override
  public void deleteUser(String username) {
    users.remove(username);
  }

  @Override
  public Map<String, PersistedUser> getPersistedUsers() {
    return users;
  }

  @Override
  public void storeRole(PersistedRole role) {
    roles.put(role.getUsername(), role);
  }

  @Override
  public void deleteRole(String username) {
    roles.remove(username);
  }

  @Override
  public Map<String, PersistedRole> getPersistedRoles() {
    return roles;
  }
}
