package dev.conductor.runtime;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code <home>/workers/<id>.log}: where every runtime keeps a worker's output (processes write it
 * as they run; container runtimes copy an ended container's there). Owner-only, like the home: a
 * worker's output may show job payloads and results.
 */
public final class WorkerLogFiles {
  private final Path directory;

  public WorkerLogFiles(Path home) {
    this.directory = home.resolve("workers");
  }

  /** The worker's log file, which may not exist (a worker that never started). */
  public Path of(String workerId) {
    return directory.resolve(workerId + ".log");
  }

  /** The worker's log file, made (owner-only, with its folder) if absent. */
  public Path create(String workerId) throws IOException {
    Files.createDirectories(
        directory,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path log = of(workerId);
    try {
      Files.createFile(
          log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException appendedTo) {
      // A worker's log outlives a restart of it; it is appended to.
    }
    return log;
  }
}
