package dev.conductor.messaging.servicebus;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach a Service Bus namespace and how the adapter shapes what it creates.
 *
 * @param connectionString {@code Endpoint=sb://<ns>.servicebus.windows.net/;SharedAccessKeyName=
 *     ...;SharedAccessKey=...}; a secret, never logged nor shown in errors
 * @param topicShards physical topics per logical topic, see {@link TopicShards}
 * @param autoDeleteOnIdle subscriptions nobody received from for this long are deleted by Service
 *     Bus: a backstop against subscriptions leaked by a crash (at least 5 minutes)
 * @param maxLockRenewal how long a message lock is renewed while its handler runs (long jobs)
 * @param lockDuration the peek-lock of entities the adapter creates: how soon a crashed consumer's
 *     message comes back (5 s to 5 min)
 * @param premium the namespace is Premium: messages above 256 KB are allowed
 * @param administration false when entities come from elsewhere (the emulator's Config.json): then
 *     create checks that the entity exists, and delete and worker access are refused
 */
public record ServiceBusSettings(
    String connectionString,
    int topicShards,
    Duration autoDeleteOnIdle,
    Duration maxLockRenewal,
    Duration lockDuration,
    boolean premium,
    boolean administration) {

  public static final Duration DEFAULT_AUTO_DELETE_ON_IDLE = Duration.ofDays(1);
  public static final Duration DEFAULT_MAX_LOCK_RENEWAL = Duration.ofHours(1);
  public static final Duration DEFAULT_LOCK_DURATION = Duration.ofSeconds(30);
  private static final int AMQPS_PORT = 5671;
  private static final int EMULATOR_PORT = 5672;

  public ServiceBusSettings {
    Objects.requireNonNull(autoDeleteOnIdle, "autoDeleteOnIdle");
    Objects.requireNonNull(maxLockRenewal, "maxLockRenewal");
    Objects.requireNonNull(lockDuration, "lockDuration");
    parse(connectionString);
    new TopicShards(topicShards);
    if (autoDeleteOnIdle.compareTo(Duration.ofMinutes(5)) < 0) {
      throw new IllegalArgumentException("autoDeleteOnIdle must be at least 5 minutes");
    }
    if (maxLockRenewal.isNegative()) {
      throw new IllegalArgumentException("maxLockRenewal must not be negative");
    }
    if (lockDuration.compareTo(Duration.ofSeconds(5)) < 0
        || lockDuration.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("lockDuration must be from 5 seconds to 5 minutes");
    }
  }

  /** One shard, the default durations, Standard tier, entities administered at run time. */
  public static ServiceBusSettings of(String connectionString) {
    return new ServiceBusSettings(
        connectionString,
        1,
        DEFAULT_AUTO_DELETE_ON_IDLE,
        DEFAULT_MAX_LOCK_RENEWAL,
        DEFAULT_LOCK_DURATION,
        false,
        true);
  }

  /**
   * A worker's connection: the namespace host (e.g. {@code acme.servicebus.windows.net}, or {@code
   * sb://...}) and its entity-level SAS rule name and key.
   */
  public static String workerConnectionString(String namespace, String keyName, String key) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("the Service Bus namespace host is required");
    }
    String host = namespace.strip().replaceFirst("^(?i)sb://", "").replaceFirst("/+$", "");
    return "Endpoint=sb://" + host + "/;SharedAccessKeyName=" + keyName + ";SharedAccessKey=" + key;
  }

  public ServiceBusSettings withTopicShards(int shards) {
    return new ServiceBusSettings(
        connectionString,
        shards,
        autoDeleteOnIdle,
        maxLockRenewal,
        lockDuration,
        premium,
        administration);
  }

  public ServiceBusSettings withAdministration(boolean administered) {
    return new ServiceBusSettings(
        connectionString,
        topicShards,
        autoDeleteOnIdle,
        maxLockRenewal,
        lockDuration,
        premium,
        administered);
  }

  /** The namespace host, e.g. {@code acme.servicebus.windows.net}: what workers are told. */
  public String namespaceHost() {
    return parse(connectionString).endpoint().getHost();
  }

  /** The host and AMQP port the health probe checks. */
  int amqpPort() {
    Parsed parsed = parse(connectionString);
    if (parsed.endpoint().getPort() > 0) {
      return parsed.endpoint().getPort();
    }
    return parsed.emulator() ? EMULATOR_PORT : AMQPS_PORT;
  }

  /** The connection string points at the local emulator ({@code UseDevelopmentEmulator=true}). */
  boolean emulator() {
    return parse(connectionString).emulator();
  }

  String keyName() {
    return parse(connectionString).keyName();
  }

  String key() {
    return parse(connectionString).key();
  }

  @Override
  public String toString() {
    return "ServiceBusSettings[namespace="
        + namespaceHost()
        + ", keyName="
        + keyName()
        + ", topicShards="
        + topicShards
        + ", autoDeleteOnIdle="
        + autoDeleteOnIdle
        + ", maxLockRenewal="
        + maxLockRenewal
        + ", lockDuration="
        + lockDuration
        + ", premium="
        + premium
        + ", administration="
        + administration
        + "]";
  }

  private record Parsed(URI endpoint, String keyName, String key, boolean emulator) {}

  /** Checks the parts the adapter needs; errors name the part, never echo the string. */
  private static Parsed parse(String connectionString) {
    if (connectionString == null || connectionString.isBlank()) {
      throw new IllegalArgumentException("the Service Bus connection string is required");
    }
    Map<String, String> parts = new HashMap<>();
    for (String part : connectionString.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1));
      }
    }
    String endpoint = parts.get("endpoint");
    String keyName = parts.get("sharedaccesskeyname");
    String key = parts.get("sharedaccesskey");
    if (endpoint == null || keyName == null || keyName.isBlank() || key == null || key.isEmpty()) {
      throw new IllegalArgumentException(
          "the Service Bus connection string needs Endpoint, SharedAccessKeyName and"
              + " SharedAccessKey");
    }
    URI uri;
    try {
      uri = URI.create(endpoint.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the Service Bus connection string's Endpoint is not a URI like sb://<ns>/", null);
    }
    if (uri.getHost() == null || !"sb".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(
          "the Service Bus connection string's Endpoint must look like sb://<namespace host>/");
    }
    boolean emulator = "true".equalsIgnoreCase(parts.getOrDefault("usedevelopmentemulator", ""));
    return new Parsed(uri, keyName.strip(), key, emulator);
  }
}
