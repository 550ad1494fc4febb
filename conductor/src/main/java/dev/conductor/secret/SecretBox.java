package dev.conductor.secret;

import dev.conductor.home.ConductorHome;
import jakarta.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts provisioned secrets at rest with AES-256-GCM. The key comes from CONDUCTOR_SECRETS_KEY
 * (base64, 32 bytes) or is generated into the conductor home.
 */
@Singleton
public class SecretBox {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  /** The file in the conductor home that holds the key when none is configured. */
  public static final String KEY_FILE = "secret.key";

  @Inject
  SecretBox(SecretsSettings settings, ConductorHome home) {
    this(configuredKey(settings.key(), home));
  }

  public SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** The key a conductor on {@code home} uses: {@code configured}, else the home's key file. */
  public static byte[] configuredKey(@Nullable String configured, ConductorHome home) {
    String encoded =
        configured != null && !configured.isBlank() ? configured.trim() : home.secret(KEY_FILE);
    return decodeKey(encoded);
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
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt secret", e);
    }
  }

  public byte[] open(byte[] box) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
      return cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt secret: wrong conductor.secrets.key?");
    }
  }
}
