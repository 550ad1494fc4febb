package dev.conductor.home;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries bundled with zonky, unpacked into the conductor home (0700) rather than a
 * shared temporary folder, where another local user could swap them before we run them.
 */
final class PostgresBinaries {
  static final String DIRECTORY = "postgres-binaries";
  private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private PostgresBinaries() {}

  /** Returns the installation directory (with {@code bin/}), unpacking the bundle on first use. */
  static Path unpack(Path home) {
    try {
      byte[] archive = archive();
      Path parent = home.resolve(DIRECTORY);
      Files.createDirectories(parent, owner("rwx------"));
      Path installation = parent.resolve(digest(archive));
      // We hold the home's lock: other versions and interrupted unpackings are nobody's now.
      try (Stream<Path> children = Files.list(parent)) {
        for (Path child : children.filter(child -> !child.equals(installation)).toList()) {
          ConductorHome.deleteRecursively(child);
        }
      }
      if (isOurs(installation)) {
        return installation;
      }
      Path staging = Files.createTempDirectory(parent, ".unpacking-");
      try {
        extract(archive, staging);
        if (Files.exists(installation, LinkOption.NOFOLLOW_LINKS)) {
          ConductorHome.deleteRecursively(installation);
        }
        Files.move(staging, installation, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
          ConductorHome.deleteRecursively(staging);
        }
      }
      return installation;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the PostgreSQL binaries into " + home, e);
    }
  }

  /** A complete unpacking that only this user can have written. */
  private static boolean isOurs(Path installation) throws IOException {
    Path postgres = installation.resolve("bin/postgres");
    if (!Files.isDirectory(installation, LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(postgres, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    for (Path path : new Path[] {installation, installation.resolve("bin"), postgres}) {
      if (!FileOwner.isMe(path)
          || Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).stream()
              .anyMatch(GROUP_OR_OTHER_WRITE::contains)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] archive() throws IOException {
    try (InputStream in = bundled(os(), arch())) {
      return in.readAllBytes();
    }
  }

  /**
   * The archive this build carries for the platform; each build carries its own platform's only.
   */
  static InputStream bundled(String os, String arch) throws IOException {
    InputStream in;
    try {
      in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch);
    } catch (IllegalStateException e) {
      in = null;
    }
    if (in == null) {
      throw new InvalidSettingException(
          "this conductor carries no PostgreSQL binaries for "
              + os
              + " "
              + arch
              + ": use one built on this platform, or set CONDUCTOR_DB_URL to an external"
              + " PostgreSQL");
    }
    return in;
  }

  private static void extract(byte[] archive, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
          throw new IOException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path, owner("rwx------"));
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent(), owner("rwx------"));
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createLink(path, root.resolve(entry.getLinkName()).normalize());
        } else if (entry.isFile()) {
          Files.createDirectories(path.getParent(), owner("rwx------"));
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.createFile(path, owner(executable ? "rwx------" : "rw-------"));
          try (OutputStream out = Files.newOutputStream(path)) {
            tar.transferTo(out);
          }
        }
      }
    }
  }

  private static java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>> owner(
      String permissions) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
  }

  private static String digest(byte[] archive) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(archive);
      return "pg-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names zonky's resolver expects. */
  private static String os() {
    String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (name.contains("win")) {
      return "Windows";
    }
    return name.contains("mac") ? "Darwin" : "Linux";
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return "amd64".equals(arch) ? "x86_64" : arch;
  }
}
