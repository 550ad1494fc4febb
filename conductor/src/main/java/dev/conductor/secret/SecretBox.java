package dev.conductor.secret;

import dev.conductor.home.ConductorHome;
import jakarta.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts provisioned secrets at rest with AES-256-GCM. The key comes from CONDUCTOR_SECRETS_KEY
 * (base64, 32 bytes) or is generated into the conductor home. Secrets are sealed with the current
 * key and opened with it or any previous one (CONDUCTOR_SECRETS_PREVIOUS_KEYS, or the home's key
 * file of a rotation not yet finished), so the key can change while the conductor runs: {@code
 * SecretKeyRotation} re-seals what the previous keys sealed.
 */
@Singleton
public class SecretBox {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** The file in the conductor home that holds the key when none is configured. */
  public static final String KEY_FILE = "secret.key";

  /** The home's previous key while a rotation re-seals what it sealed. */
  public static final String PREVIOUS_KEY_FILE = "secret.key.previous";

  private final SecureRandom random = new SecureRandom();
  private final boolean keptInHome;
  private volatile Keys keys;

  /** The key that seals, and those that may still have sealed stored secrets. */
  private record Keys(SecretKey current, List<SecretKey> previous) {}

  @Inject
  SecretBox(SecretsSettings settings, ConductorHome home) {
    String configured = settings.key();
    this.keptInHome = configured == null || configured.isBlank();
    List<SecretKey> previous = new ArrayList<>();
    for (String encoded : Objects.requireNonNullElse(settings.previousKeys(), List.<String>of())) {
      if (!encoded.isBlank()) {
        previous.add(aes(decodeKey(encoded.trim())));
      }
    }
    if (keptInHome && Files.exists(home.resolve(PREVIOUS_KEY_FILE))) {
      previous.add(aes(decodeKey(home.secret(PREVIOUS_KEY_FILE))));
    }
    this.keys = new Keys(aes(configuredKey(configured, home)), List.copyOf(previous));
  }

  public SecretBox(byte[] key) {
    this.keptInHome = false;
    this.keys = new Keys(aes(key.clone()), List.of());
  }

  /** The key a conductor on {@code home} uses: {@code configured}, else the home's key file. */
  public static byte[] configuredKey(@Nullable String configured, ConductorHome home) {
    String encoded =
        configured != null && !configured.isBlank() ? configured.trim() : home.secret(KEY_FILE);
    return decodeKey(encoded);
  }

  /** Whether the key is the home's key file (so a rotation may replace it), not configured. */
  public boolean keptInHome() {
    return keptInHome;
  }

  /** Seals with {@code next} from now on; what the current key sealed still opens. */
  public synchronized void replaceCurrent(byte[] next) {
    Keys now = keys;
    List<SecretKey> previous = new ArrayList<>();
    previous.add(now.current());
    previous.addAll(now.previous());
    keys = new Keys(aes(next), List.copyOf(previous));
  }

  /** Once every stored secret is sealed with the current key: the previous ones open nothing. */
  public synchronized void forgetPrevious() {
    keys = new Keys(keys.current(), List.of());
  }

  private static SecretKey aes(byte[] key) {
    return new SecretKeySpec(key, "AES");
  }

  private static byte[] decodeKey(String encoded) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(encoded.replace('+', '-').replace('/', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("conductor.secrets.key is not base64");
    }
    if (bytes.length != 32) {
      throw new IllegalStateException("conductor.secrets.key must decode to 32 bytes");
    }
    return bytes;
  }

  public byte[] seal(byte[] plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt secret", e);
    }
  }

  public byte[] open(byte[] box) {
    Keys now = keys;
    byte[] opened = open(box, now.current());
    for (int i = 0; opened == null && i < now.previous().size(); i++) {
      opened = open(box, now.previous().get(i));
    }
    if (opened == null) {
      throw new IllegalStateException("cannot decrypt secret: wrong conductor.secrets.key?");
    }
    return opened;
  }

  /** Whether the current key sealed {@code box} (a rotation leaves such secrets as they are). */
  public boolean sealedWithCurrent(byte[] box) {
    return open(box, keys.current()) != null;
  }

  /** Null when {@code key} did not seal {@code box}. */
  private static @Nullable byte[] open(byte[] box, SecretKey key) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
      return cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      return null;
    }
  }
}
