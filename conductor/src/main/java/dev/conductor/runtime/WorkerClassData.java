package dev.conductor.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data archive for worker processes (the JDK's dynamic AppCDS), so a new worker maps the
 * classes an earlier one loaded instead of loading and verifying them again: most of a cold start
 * is class loading (the Artemis client alone loads about 2,000 classes before its first session).
 * The first worker of a class path and JDK writes the archive when it exits (its normal end, a
 * scheduled teardown, not a kill); one at a time; later workers use it. The archive is named by the
 * JDK and the class path's jars (size and time), and the JVM checks it again, ignoring it quietly
 * if it does not match. Only for class paths of jars: the JDK archives no classes from directories.
 */
final class WorkerClassData {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerClassData.class);
  static final String DIRECTORY = "class-data";
  // No class-data message in a worker's log, whatever happens to the archive.
  private static final String QUIET = "-Xlog:cds*=off";

  private final Path archive;
  private final boolean applies;
  private final AtomicBoolean training = new AtomicBoolean();

  /** What a worker runs with, and what to do once it has exited. */
  record Use(List<String> options, Runnable afterExit) {}

  WorkerClassData(Path home, String classpath, String java, boolean enabled) {
    List<Path> jars = new ArrayList<>();
    boolean onlyJars = !classpath.isBlank();
    for (String entry : classpath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      onlyJars &= entry.endsWith(".jar") && Files.isRegularFile(path);
      jars.add(path);
    }
    this.applies = enabled && onlyJars;
    this.archive = home.resolve(DIRECTORY).resolve("worker-" + fingerprint(java, jars) + ".jsa");
  }

  /** The options for the next worker: use the archive, write it, or neither. */
  Use next(UUID workerId) {
    if (!applies) {
      return new Use(List.of(), () -> {});
    }
    if (Files.isRegularFile(archive)) {
      return new Use(List.of("-XX:SharedArchiveFile=" + archive, QUIET), () -> {});
    }
    if (!training.compareAndSet(false, true)) {
      return new Use(List.of(), () -> {});
    }
    Path written = archive.resolveSibling(archive.getFileName() + "." + workerId + ".tmp");
    try {
      Files.createDirectories(
          archive.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      training.set(false);
      throw new UncheckedIOException("cannot make " + archive.getParent(), e);
    }
    return new Use(List.of("-XX:ArchiveClassesAtExit=" + written, QUIET), () -> keep(written));
  }

  Path archive() {
    return archive;
  }

  /**
   * Moves a written archive into place; a worker that was killed wrote none, and the next tries.
   */
  private void keep(Path written) {
    try {
      if (Files.isRegularFile(written) && Files.size(written) > 0) {
        try {
          Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        LOG.info("worker class-data archive written archive={}", archive);
      } else {
        Files.deleteIfExists(written);
      }
    } catch (IOException e) {
      LOG.warn("worker class-data archive not kept archive={}", archive, e);
    } finally {
      training.set(false);
    }
  }

  private static String fingerprint(String java, List<Path> jars) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(
          (java + '\n' + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8));
      for (Path jar : jars) {
        String stamp = jar.toAbsolutePath() + "\n";
        if (Files.isRegularFile(jar)) {
          stamp += Files.size(jar) + "/" + Files.getLastModifiedTime(jar).toMillis() + "\n";
        }
        digest.update(stamp.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the worker class path", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
