package dev.conductor.provisioning.local;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/** Fresh random passwords for tenant roles: 32 URL-safe characters (192 bits). */
public final class Passwords implements Supplier<String> {
  private static final int BYTES = 24;
  private final SecureRandom random = new SecureRandom();

  @Override
  public String get() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
