package dev.conductor.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The conductor's home directory ({@code ~/.conductor} unless CONDUCTOR_HOME or {@code
 * conductor.home} says otherwise): embedded database and broker data, generated secrets. One
 * conductor process holds it at a time.
 */
public final class ConductorHome implements AutoCloseable {
  public static final String PROPERTY = "conductor.home";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> GROUP_AND_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private ConductorHome(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** {@code conductor.home} ({@code CONDUCTOR_HOME}) as configured, else {@code ~/.conductor}. */
  public static Path rootFor(String configured) {
    if (!configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".conductor");
  }

  /**
   * Creates the directory if needed (0700), locks it, failing fast if another conductor has it, and
   * takes group and other permissions off everything in it, including homes made before.
   */
  public static ConductorHome open(Path root) {
    try {
      Files.createDirectories(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
      // A folder someone else made for us could hold files they can change: not a home.
      if (!FileOwner.isMe(root)) {
        throw new InvalidSettingException(
            "conductor home "
                + root
                + " belongs to user "
                + FileOwner.nameOf(root)
                + ": set CONDUCTOR_HOME to a folder of your own");
      }
      Files.setPosixFilePermissions(root, OWNER_ONLY_DIRECTORY);
      FileChannel channel =
          FileChannel.open(
              root.resolve("conductor.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldInThisProcess) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new InvalidSettingException(
            "another conductor is running with home "
                + root
                + ": stop it or set CONDUCTOR_HOME to use another home");
      }
      ConductorHome home = new ConductorHome(root, channel, lock);
      home.tighten();
      return home;
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
      writeSecret(name, value);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** Writes {@code value} into {@code name}, readable by the owner only, replacing it at once. */
  public void writeSecret(String name, String value) {
    Path file = root.resolve(name);
    try {
      Path temp = Files.createTempFile(root, name, ".tmp");
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Takes group and other permissions off the home and everything in it (tenant payloads in the
   * broker journal, the database, secrets, logs); engines that create files later create them
   * inside these owner-only directories.
   */
  public void tighten() {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                throws IOException {
              restrict(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              if (!attributes.isSymbolicLink()) {
                restrict(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict permissions in " + root, e);
    }
  }

  private static void restrict(Path path) throws IOException {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      if (permissions.removeAll(GROUP_AND_OTHERS)) {
        Files.setPosixFilePermissions(path, permissions);
      }
    } catch (NoSuchFileException gone) {
      // Removed while we walked (a worker log, a journal file): nothing left to protect.
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(each);
      }
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
