package dev.conductor.messaging.artemis;

import static dev.conductor.messaging.artemis.ArtemisNames.deadLetterAddress;

import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.artemis.ArtemisSecuritySettings.Permission;
import jakarta.annotation.Nullable;
import java.io.StringReader;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.json.JsonArray;
import org.apache.activemq.artemis.json.JsonObject;
import org.apache.activemq.artemis.json.JsonValue;
import org.apache.activemq.artemis.utils.JsonLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker principals with listen and send rights only, kept in the broker's users and security
 * settings through management, so that it works against a remote broker whose security manager can
 * manage users (the basic security manager, or JAAS with the properties login module).
 *
 * <p>A principal holds two roles, one per entity and shared by every principal granted that entity:
 * {@code worker.listen.<topic>} may consume from the queues bound to the topic's address (its
 * subscriptions: Artemis checks consume against the queue's address unless an exact {@code
 * address::queue} match exists) and send to the topic's dead-letter address; {@code
 * worker.send.<queue>} may send to the control queue. Each of these addresses gets an exact match
 * holding the roles that applied before (the admin's, from {@code #}) plus the worker role, and
 * loses it again when the last principal holding the role is revoked.
 */
final class ArtemisWorkerAccess {
  private static final Logger LOG = LoggerFactory.getLogger(ArtemisWorkerAccess.class);
  static final String LISTEN_ROLE = "worker.listen.";
  static final String SEND_ROLE = "worker.send.";
  private static final int PASSWORD_BYTES = 24;

  private final ArtemisManagement management;
  private final ArtemisSecuritySettings settings;
  private final SecureRandom random = new SecureRandom();

  ArtemisWorkerAccess(ArtemisManagement management) {
    this.management = management;
    this.settings = new ArtemisSecuritySettings(management);
  }

  synchronized BusCredentials grant(String principal, String topic, String controlQueue)
      throws Exception {
    Map<String, Set<String>> users = users();
    Set<String> previous = users.get(principal);
    requireWorker(principal, previous);
    String listen = LISTEN_ROLE + topic;
    String send = SEND_ROLE + controlQueue;
    allow(topic, listen, Permission.CONSUME);
    allow(deadLetterAddress(topic), listen, Permission.SEND);
    allow(controlQueue, send, Permission.SEND);
    String password = newPassword();
    String roles = listen + "," + send;
    if (previous == null) {
      management.broker("addUser", principal, password, roles, false);
    } else {
      management.broker("resetUser", principal, password, roles, false);
    }
    forgetCachedCredentials();
    users.put(principal, Set.of(listen, send));
    if (previous != null) {
      for (String stale : previous) {
        release(stale, users);
      }
    }
    LOG.info(
        "worker access granted principal={} topic={} controlQueue={}",
        principal,
        topic,
        controlQueue);
    return new BusCredentials(principal, password);
  }

  /** Rights first, then the user: a re-run after a crash half-way still finds what is left. */
  synchronized void revoke(String principal) throws Exception {
    Map<String, Set<String>> users = users();
    Set<String> roles = users.remove(principal);
    if (roles == null) {
      return;
    }
    requireWorker(principal, roles);
    for (String role : roles) {
      release(role, users);
    }
    management.broker("removeUser", principal);
    forgetCachedCredentials();
    management.broker("closeConnectionsForUser", principal);
    LOG.info("worker access revoked principal={}", principal);
  }

  /** Gives the role exactly this permission on the address, keeping every other role there. */
  private void allow(String address, String role, Permission permission) throws Exception {
    Map<String, Set<Permission>> roles = settings.roles(address);
    Set<Permission> wanted = EnumSet.of(permission);
    if (wanted.equals(roles.get(role))) {
      return;
    }
    roles.put(role, wanted);
    settings.replace(address, roles);
  }

  /** Takes a role off its addresses once no principal holds it any more. */
  private void release(String role, Map<String, Set<String>> users) throws Exception {
    if (users.values().stream().anyMatch(roles -> roles.contains(role))) {
      return;
    }
    for (String address : addressesOf(role)) {
      Map<String, Set<Permission>> roles = settings.roles(address);
      if (roles.remove(role) == null) {
        continue;
      }
      if (roles.keySet().stream().anyMatch(ArtemisWorkerAccess::isWorkerRole)) {
        settings.replace(address, roles);
      } else {
        settings.remove(address);
      }
    }
  }

  private static List<String> addressesOf(String role) {
    if (role.startsWith(LISTEN_ROLE)) {
      String topic = role.substring(LISTEN_ROLE.length());
      return List.of(topic, deadLetterAddress(topic));
    }
    return List.of(role.substring(SEND_ROLE.length()));
  }

  private static boolean isWorkerRole(String role) {
    return role.startsWith(LISTEN_ROLE) || role.startsWith(SEND_ROLE);
  }

  /** Never turns an operator's or the conductor's own user into a worker, nor removes one. */
  private static void requireWorker(String principal, @Nullable Set<String> roles) {
    if (roles != null && !roles.stream().allMatch(ArtemisWorkerAccess::isWorkerRole)) {
      throw new BusException(
          "principal '" + principal + "' exists with roles other than worker roles: not changed",
          false,
          null);
    }
  }

  /** User name to roles, for every user the broker knows. */
  private Map<String, Set<String>> users() throws Exception {
    String json = (String) management.broker("listUser", "");
    Map<String, Set<String>> users = new HashMap<>();
    for (JsonValue value : JsonLoader.readArray(new StringReader(json))) {
      JsonObject user = value.asJsonObject();
      Set<String> roles = new HashSet<>();
      JsonArray names = user.getJsonArray("roles");
      for (int i = 0; i < names.size(); i++) {
        roles.add(names.getString(i));
      }
      users.put(user.getString("username"), roles);
    }
    return users;
  }

  /** The broker caches authentications by password for a while: an old password must fail now. */
  private void forgetCachedCredentials() throws Exception {
    management.broker("clearAuthenticationCache");
    management.broker("clearAuthorizationCache");
  }

  private String newPassword() {
    byte[] bytes = new byte[PASSWORD_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
