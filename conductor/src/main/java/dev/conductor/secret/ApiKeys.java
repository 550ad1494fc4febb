package dev.conductor.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Tenant API keys: 256 random bits, shown once, stored as a SHA-256 hash (enough for keys this
 * random; a slow hash only matters for guessable secrets).
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public record Issued(String key, String hash, String credentialId) {
    @Override
    public String toString() {
      return "Issued[credentialId=" + credentialId + "]";
    }
  }

  public static Issued issue() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String key = "ck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String hash = hash(key);
    return new Issued(key, hash, "cred_" + hash.substring(0, 12));
  }

  public static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
