package dev.conductor.runtime;

import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The class path of worker processes. The slim worker jar (the Artemis worker alone, 11 MB) starts
 * a worker about three times sooner than the conductor's own class path (110 jars, or its 96 MB
 * jar), so it is the default wherever it is found; it carries no Service Bus client. Workers run
 * from a copy in the conductor home named by its content, so a rebuild or a cleaned cache never
 * changes the jar under running workers or their class-data archive.
 */
final class WorkerClassPath {
  static final String WORKER_JAR = "conductor-worker.jar";

  private WorkerClassPath() {}

  /**
   * @param busKind the conductor's bus: the slim jar serves {@code artemis} only
   * @param ownJar the jar the conductor runs from, if it runs from one
   */
  static String of(
      ProcessRuntimeSettings settings, String busKind, @Nullable Path ownJar, Path home) {
    if (settings.classpath() != null && !settings.classpath().isBlank()) {
      return settings.classpath();
    }
    if ("artemis".equals(busKind)) {
      if (settings.workerJar() != null && !settings.workerJar().isBlank()) {
        Path named = Path.of(settings.workerJar()).toAbsolutePath();
        if (!Files.isRegularFile(named)) {
          throw new IllegalStateException(
              "conductor.runtime.process.worker-jar names "
                  + named
                  + ", which is not a file: point it at conductor-worker.jar or unset it");
        }
        return installed(named, home).toString();
      }
      if (ownJar != null && ownJar.getParent() != null) {
        Path beside = ownJar.resolveSibling(WORKER_JAR);
        if (Files.isRegularFile(beside)) {
          return installed(beside, home).toString();
        }
      }
    }
    return System.getProperty("java.class.path");
  }

  /** {@code <home>/worker/conductor-worker-<content hash>.jar}, copied there once. */
  static Path installed(Path jar, Path home) {
    try {
      Path directory = home.resolve("worker");
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path copy = directory.resolve("conductor-worker-" + contentHash(jar) + ".jar");
      if (!Files.isRegularFile(copy)) {
        Path partial = Files.createTempFile(directory, "conductor-worker", ".partial");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        try {
          Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the worker jar " + jar + " into " + home, e);
    }
  }

  private static String contentHash(Path jar) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(jar), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  /** The jar this class was loaded from; null when it runs from a classes directory (tests). */
  static @Nullable Path ownJar() {
    CodeSource source = WorkerClassPath.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return null;
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(location) ? location : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
