package dev.conductor.provisioning.pulumi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Fits a name derived from a tenant into a provider's length limit. A name that reaches the limit
 * is cut and ends with a hash of the whole tenant slug, filling the limit exactly; names that fit
 * stay shorter than the limit. So two tenants never share a name: cut names differ in their hash,
 * and a cut name is never as short as an uncut one.
 */
public final class BoundedName {
  /** At least 32 bits of SHA-256 tell two cut names apart. */
  public static final int MIN_HASH_LENGTH = 8;

  private BoundedName() {}

  /**
   * @param head the part that may be cut, e.g. the slug (lowercase letters, digits and '-')
   * @param suffix the part always kept, e.g. {@code -app}
   * @param max the provider's length limit
   * @param slug the tenant slug the hash is made of
   */
  public static String fit(String head, String suffix, int max, String slug) {
    if (head.length() + suffix.length() < max) {
      return head + suffix;
    }
    int keep = max - suffix.length() - 1 - MIN_HASH_LENGTH;
    if (keep < 1) {
      throw new IllegalArgumentException("limit " + max + " leaves no room for '" + suffix + "'");
    }
    String cut = head.substring(0, keep).replaceAll("-+$", "");
    String hash = sha256Hex(slug).substring(0, max - suffix.length() - 1 - cut.length());
    return cut + "-" + hash + suffix;
  }

  /** The SHA-256 of {@code value} in hex: what keeps fitted names apart. */
  public static String sha256Hex(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
