package dev.conductor.worker;

import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.time.Durations;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a worker is told by the conductor that starts it, read from {@code CONDUCTOR_*} environment
 * variables. {@code affinityKey} is null when the worker serves jobs without a key. {@code
 * busAccess} (the messaging port's record, which hides the password) is what the adapter connects
 * with, so the record's {@link #toString()} carries no secret.
 */
public record WorkerSettings(
    String workerId,
    String tenant,
    @Nullable String affinityKey,
    int capacity,
    String busKind,
    BusAccess busAccess,
    String jobTopic,
    String controlQueue,
    Duration heartbeatInterval,
    Duration shutdownGrace,
    Duration connectPatience) {

  public static final String WORKER_ID = "CONDUCTOR_WORKER_ID";
  public static final String TENANT = "CONDUCTOR_TENANT";
  public static final String AFFINITY_KEY = "CONDUCTOR_AFFINITY_KEY";
  public static final String CAPACITY = "CONDUCTOR_WORKER_CAPACITY";
  public static final String BUS_KIND = "CONDUCTOR_BUS_KIND";
  public static final String BUS_URL = "CONDUCTOR_BUS_URL";
  public static final String BUS_USER = "CONDUCTOR_BUS_USER";
  public static final String BUS_PASSWORD = "CONDUCTOR_BUS_PASSWORD";

  /** A file holding the bus password: a container runtime mounts it, keeping it out of inspect. */
  public static final String BUS_PASSWORD_FILE = "CONDUCTOR_BUS_PASSWORD_FILE";

  public static final String TOPIC_SHARDS = "CONDUCTOR_BUS_TOPIC_SHARDS";
  public static final String JOB_TOPIC = "CONDUCTOR_JOB_TOPIC";
  public static final String CONTROL_QUEUE = "CONDUCTOR_CONTROL_QUEUE";
  public static final String HEARTBEAT_INTERVAL = "CONDUCTOR_HEARTBEAT_INTERVAL";
  public static final String SHUTDOWN_GRACE = "CONDUCTOR_SHUTDOWN_GRACE";
  public static final String CONNECT_PATIENCE = "CONDUCTOR_CONNECT_PATIENCE";

  public static final int DEFAULT_CAPACITY = 1;

  /** Service Bus only: physical topics per job topic, as the conductor has them. */
  public static final int DEFAULT_TOPIC_SHARDS = 1;

  /** The bus adapters a worker can use: {@code artemis} (default) or {@code servicebus}. */
  public static final List<String> BUS_KINDS = List.of("artemis", "servicebus");

  /** Each unit of capacity is a thread and a broker session. */
  public static final int MAX_CAPACITY = 256;

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  /**
   * How long the first connection to the bus is retried: a worker may start while its broker
   * restarts with the conductor.
   */
  public static final Duration DEFAULT_CONNECT_PATIENCE = Duration.ofSeconds(30);

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public WorkerSettings {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(busKind, "busKind");
    Objects.requireNonNull(busAccess, "busAccess");
    if (!BUS_KINDS.contains(busKind)) {
      throw new IllegalArgumentException("busKind must be one of " + BUS_KINDS);
    }
    Objects.requireNonNull(jobTopic, "jobTopic");
    Objects.requireNonNull(controlQueue, "controlQueue");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(connectPatience, "connectPatience");
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be from 1 to " + MAX_CAPACITY);
    }
    if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
      throw new IllegalArgumentException("heartbeatInterval must be positive");
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace must not be negative");
    }
    if (connectPatience.isNegative()) {
      throw new IllegalArgumentException("connectPatience must not be negative");
    }
  }

  /**
   * Reads the settings, reporting every missing or invalid variable at once in one line.
   *
   * @throws InvalidConfigurationException naming the variables to fix
   */
  public static WorkerSettings fromEnvironment(Map<String, String> environment) {
    Reader env = new Reader(environment);
    String workerId = env.guid(WORKER_ID);
    String tenant = env.required(TENANT);
    String affinityKey = env.optional(AFFINITY_KEY);
    int capacity = env.wholeNumber(CAPACITY, DEFAULT_CAPACITY, MAX_CAPACITY);
    String busKind = env.oneOf(BUS_KIND, BUS_KINDS);
    String busUrl = env.required(BUS_URL);
    String busUser = env.required(BUS_USER);
    String busPassword = env.secret(BUS_PASSWORD, BUS_PASSWORD_FILE);
    int topicShards =
        env.wholeNumber(TOPIC_SHARDS, DEFAULT_TOPIC_SHARDS, BusAccess.MAX_TOPIC_SHARDS);
    String jobTopic = env.required(JOB_TOPIC);
    String controlQueue = env.required(CONTROL_QUEUE);
    Duration heartbeat = env.duration(HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL, false);
    Duration grace = env.duration(SHUTDOWN_GRACE, DEFAULT_SHUTDOWN_GRACE, true);
    // Zero: one attempt, no retry.
    Duration patience = env.duration(CONNECT_PATIENCE, DEFAULT_CONNECT_PATIENCE, true);
    if (!env.problems.isEmpty()) {
      throw new InvalidConfigurationException(
          "invalid worker configuration: " + String.join("; ", env.problems));
    }
    return new WorkerSettings(
        workerId,
        tenant,
        affinityKey,
        capacity,
        busKind,
        new BusAccess(busUrl, new BusCredentials(busUser, busPassword), topicShards),
        jobTopic,
        controlQueue,
        heartbeat,
        grace,
        patience);
  }

  public Optional<String> affinity() {
    return Optional.ofNullable(affinityKey);
  }

  /** Collects problems instead of failing on the first, so one run shows everything to fix. */
  private static final class Reader {
    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> environment) {
      this.environment = environment;
    }

    @Nullable
    String optional(String name) {
      String value = environment.get(name);
      return value == null || value.isBlank() ? null : value.strip();
    }

    String required(String name) {
      String value = optional(name);
      if (value == null) {
        problems.add(name + " is required");
        return "";
      }
      return value;
    }

    /**
     * From the variable, else from the file the other variable names (one trailing newline off).
     */
    String secret(String name, String fileName) {
      String value = environment.get(name);
      if (value != null && !value.isEmpty()) {
        return value;
      }
      String file = optional(fileName);
      if (file == null) {
        problems.add(name + " is required");
        return "";
      }
      try {
        String read = Files.readString(Path.of(file));
        read = read.endsWith("\n") ? read.substring(0, read.length() - 1) : read;
        if (read.isEmpty()) {
          problems.add(fileName + " names an empty file: " + file);
        }
        return read;
      } catch (IOException | InvalidPathException e) {
        problems.add(fileName + " names a file that cannot be read: " + file);
        return "";
      }
    }

    /** Optional, the first choice by default. */
    String oneOf(String name, List<String> choices) {
      String value = optional(name);
      if (value == null) {
        return choices.get(0);
      }
      if (!choices.contains(value)) {
        problems.add(
            name + " must be one of " + String.join(", ", choices) + ", got '" + value + "'");
        return choices.get(0);
      }
      return value;
    }

    String guid(String name) {
      String value = required(name);
      if (!value.isEmpty() && !GUID.matcher(value).matches()) {
        problems.add(
            name
                + " must be a GUID like 3f2c1e9a-0b7d-4c55-9a1e-2d6f8b7c4a10, got '"
                + value
                + "'");
      }
      return value;
    }

    /** Optional, from 1 to {@code max}. */
    int wholeNumber(String name, int fallback, int max) {
      String value = optional(name);
      if (value == null) {
        return fallback;
      }
      try {
        int number = Integer.parseInt(value);
        if (number >= 1 && number <= max) {
          return number;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(name + " must be a whole number from 1 to " + max + ", got '" + value + "'");
      return fallback;
    }

    Duration duration(String name, Duration fallback, boolean zeroAllowed) {
      String value = optional(name);
      if (value == null) {
        return fallback;
      }
      try {
        Duration duration = Durations.parse(value);
        if (!duration.isNegative() && (zeroAllowed || !duration.isZero())) {
          return duration;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      problems.add(
          name
              + " must be a "
              + (zeroAllowed ? "non-negative" : "positive")
              + " duration such as 500ms, 2s, 1m or PT2S, got '"
              + value
              + "'");
      return fallback;
    }
  }
}
