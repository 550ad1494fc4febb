package dev.conductor.messaging.servicebus;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Maps the port's logical names (e.g. {@code tenant.acme.jobs}, {@code worker-<GUID>}, {@code
 * tenant.acme.worker}) onto Service Bus names within its rules, in one place.
 *
 * <ul>
 *   <li>queue and topic: 1-260 characters; letters, digits, {@code . - _}; starting and ending with
 *       a letter or digit. {@code /} is valid on Service Bus but makes a path, so it is not kept.
 *       Names ending in {@code __<digits>} are reserved for {@link TopicShards}, which keeps
 *       {@value #SHARD_ROOM} characters of the 260 for that suffix.
 *   <li>subscription: 1-50 characters, same characters.
 *   <li>SAS authorization rule: 1-256 characters, same characters.
 * </ul>
 *
 * A valid name maps to itself. Any other name (too long, other characters) maps to a sanitised
 * prefix plus {@code -} and eight hex digits of a CRC32 of the whole logical name, so the mapping
 * is deterministic and two different logical names almost never share a physical one. Service Bus
 * names are case-insensitive: {@code Jobs} and {@code jobs} are the same entity.
 */
public final class ServiceBusNames {
  static final int ENTITY_MAX = 260;
  static final int SUBSCRIPTION_MAX = 50;
  static final int RULE_MAX = 256;

  /** Room kept at the end of topic names for {@link TopicShards#SUFFIX} and a shard number. */
  static final int SHARD_ROOM = 8;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
  private static final Pattern INVALID_CHARACTERS = Pattern.compile("[^A-Za-z0-9._-]");
  private static final Pattern SHARD_SUFFIX = Pattern.compile(".*__[0-9]+");
  private static final int HASH_LENGTH = 8;

  private ServiceBusNames() {}

  /** The Service Bus name of a queue or topic. */
  public static String entity(String logical) {
    String name = map("entity", logical, ENTITY_MAX - SHARD_ROOM);
    if (SHARD_SUFFIX.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "entity name '" + logical + "' ends in '__' and digits, which shard names use");
    }
    return name;
  }

  /** The Service Bus name of a subscription, e.g. {@code worker-<GUID>} (43 characters) as is. */
  public static String subscription(String logical) {
    return map("subscription", logical, SUBSCRIPTION_MAX);
  }

  /** The SAS authorization rule name for a worker principal; also the worker's key name. */
  public static String rule(String principal) {
    return map("principal", principal, RULE_MAX);
  }

  private static String map(String kind, String logical, int max) {
    if (logical == null || logical.isBlank()) {
      throw new IllegalArgumentException(kind + " name is required");
    }
    if (logical.length() <= max && VALID.matcher(logical).matches()) {
      return logical;
    }
    String suffix = "-" + hash(logical);
    String prefix = INVALID_CHARACTERS.matcher(logical).replaceAll("-");
    prefix = prefix.substring(0, Math.min(prefix.length(), max - suffix.length()));
    prefix = trimToAlphanumeric(prefix);
    return prefix.isEmpty() ? "x" + suffix : prefix + suffix;
  }

  private static String trimToAlphanumeric(String name) {
    int start = 0;
    int end = name.length();
    while (start < end && !Character.isLetterOrDigit(name.charAt(start))) {
      start++;
    }
    while (end > start && !Character.isLetterOrDigit(name.charAt(end - 1))) {
      end--;
    }
    return name.substring(start, end);
  }

  private static String hash(String logical) {
    return String.format(Locale.ROOT, "%0" + HASH_LENGTH + "x", crc32(logical));
  }

  /** The CRC32 of a name's UTF-8 bytes, which physical names and shards derive from. */
  static long crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
