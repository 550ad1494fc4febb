package dev.conductor.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The conductor's home directory ({@code ~/.conductor} unless CONDUCTOR_HOME or {@code
 * conductor.home} says otherwise): embedded database and broker data, generated secrets. One
 * conductor process holds it at a time.
 */
public final class ConductorHome implements AutoCloseable {
  public static final String ENV = "CONDUCTOR_HOME";
  public static final String PROPERTY = "conductor.home";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private ConductorHome(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Resolves the home from properties, then the environment, then {@code ~/.conductor}. */
  public static Path resolve(Map<String, Object> properties, Map<String, String> environment) {
    Object configured = properties.get(PROPERTY);
    if (configured != null) {
      return Path.of(configured.toString());
    }
    String fromEnv = environment.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    return Path.of(System.getProperty("user.home"), ".conductor");
  }

  /** Creates the directory if needed and locks it, failing fast if another conductor has it. */
  public static ConductorHome open(Path root) {
    try {
      Files.createDirectories(root);
      FileChannel channel =
          FileChannel.open(
              root.resolve("conductor.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "another conductor is running with home "
                + root
                + " (set CONDUCTOR_HOME to use another)");
      }
      return new ConductorHome(root, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open conductor home " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  public Path resolve(String name) {
    return root.resolve(name);
  }

  /**
   * Returns the secret stored in {@code name}, generating it (32 random bytes, URL-safe base64)
   * into a file readable by the owner only on first use.
   */
  public String secret(String name) {
    Path file = root.resolve(name);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Path temp = Files.createTempFile(root, name, ".tmp");
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // The lock dies with the process anyway.
    }
  }
}
