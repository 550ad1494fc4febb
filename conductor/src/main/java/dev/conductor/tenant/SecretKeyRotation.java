package dev.conductor.tenant;

import dev.conductor.api.v1.SecretsKeyRotation;
import dev.conductor.home.ConductorHome;
import dev.conductor.secret.SecretBox;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the key that seals stored secrets while the conductor runs. With the home's key file, it
 * makes a new key: the old one is kept as {@link SecretBox#PREVIOUS_KEY_FILE} first, so a crash at
 * any step leaves every secret openable, and deleted once every secret is sealed with the new one.
 * With a configured key, it re-seals under it what the previous keys sealed
 * (CONDUCTOR_SECRETS_PREVIOUS_KEYS), so those can then be dropped from every replica.
 */
@Singleton
public class SecretKeyRotation {
  private static final Logger LOG = LoggerFactory.getLogger(SecretKeyRotation.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretBox box;
  private final TenantResources resources;
  private final ConductorHome home;
  private final TransactionOperations<Connection> tx;

  SecretKeyRotation(
      SecretBox box,
      TenantResources resources,
      ConductorHome home,
      TransactionOperations<Connection> tx) {
    this.box = box;
    this.resources = resources;
    this.home = home;
    this.tx = tx;
  }

  public synchronized SecretsKeyRotation rotate() {
    boolean newKey = box.keptInHome();
    if (newKey) {
      // A rotation cut short: finish it before its previous key file is replaced.
      if (Files.exists(home.resolve(SecretBox.PREVIOUS_KEY_FILE)) && reseal().unreadable() > 0) {
        throw new IllegalStateException(
            "stored secrets that no key opens: the last rotation cannot be finished");
      }
      byte[] next = new byte[32];
      RANDOM.nextBytes(next);
      home.writeSecret(SecretBox.PREVIOUS_KEY_FILE, home.secret(SecretBox.KEY_FILE));
      home.writeSecret(
          SecretBox.KEY_FILE, Base64.getUrlEncoder().withoutPadding().encodeToString(next));
      box.replaceCurrent(next);
    }
    TenantResources.Resealed done = reseal();
    LOG.info(
        "secrets key rotated newKey={} resealed={} alreadyCurrent={} unreadable={}",
        newKey,
        done.resealed(),
        done.alreadyCurrent(),
        done.unreadable());
    return new SecretsKeyRotation(
        newKey, done.resealed(), done.alreadyCurrent(), done.unreadable());
  }

  /** Re-seals in one transaction; once nothing is left under a previous key, forgets them. */
  private TenantResources.Resealed reseal() {
    TenantResources.Resealed done = tx.executeWrite(status -> resources.reseal());
    if (done.unreadable() == 0) {
      box.forgetPrevious();
      try {
        Files.deleteIfExists(home.resolve(SecretBox.PREVIOUS_KEY_FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the previous secrets key file", e);
      }
    }
    return done;
  }
}
