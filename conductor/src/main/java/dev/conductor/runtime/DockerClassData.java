package dev.conductor.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data archive for worker containers, as {@link WorkerClassData} is for processes: the
 * first container of an image writes it (the JDK's dynamic AppCDS) into a volume of the engine as
 * it exits, and later containers of that image map it read-only. Most of a container worker's start
 * is its JVM loading classes; the volume costs a container nothing to mount, and lives in the
 * engine, so it works the same for a remote engine. Written by one container at a time per image;
 * one that did not exit 0 leaves no mark and the next one writes it again. One volume per tenant:
 * the writer runs the tenant's handlers with the volume writable, and an archive is code that later
 * JVMs trust, so no tenant ever maps an archive another tenant's container could write.
 */
final class DockerClassData {
  private static final Logger LOG = LoggerFactory.getLogger(DockerClassData.class);

  /** Where the worker image has a folder anyone may write (Jib cannot give it to the user). */
  static final String MOUNT = "/opt/conductor/class-data";

  private final DockerClient docker;
  private final String volumePrefix;
  private final Map<String, String> labels;
  private final Path marks;
  private final boolean enabled;
  // Tenant and image pairs whose archive a container is writing, and volumes known to exist.
  private final Set<String> writing = ConcurrentHashMap.newKeySet();
  private final Set<String> volumesMade = ConcurrentHashMap.newKeySet();

  /** What a container runs with, and what to do with its exit. */
  record Use(List<String> environment, @Nullable Bind bind, Consumer<WorkerExit> afterExit) {
    static final Use NONE = new Use(List.of(), null, exit -> {});

    /** A writer mounts the volume writable and dumps the archive as it exits: seconds, loaded. */
    boolean writesArchive() {
      return bind != null && bind.getAccessMode() == AccessMode.rw;
    }
  }

  /**
   * @param volumePrefix the engine volumes of this conductor's archives, {@code <prefix>-<tenant>}
   * @param marks where this conductor notes which archives are complete
   */
  DockerClassData(
      DockerClient docker,
      String volumePrefix,
      Map<String, String> labels,
      Path marks,
      boolean on) {
    this.docker = docker;
    this.volumePrefix = volumePrefix;
    this.labels = labels;
    this.marks = marks;
    this.enabled = on;
  }

  /** For a container of {@code tenant} of {@code image} running the image's own worker. */
  Use next(String image, String tenant) {
    if (!enabled) {
      return Use.NONE;
    }
    String imageId;
    try {
      imageId = shortId(docker.inspectImageCmd(image).exec().getId());
    } catch (RuntimeException absent) {
      // The create that follows says why, in the runtime's words.
      return Use.NONE;
    }
    String volume = volumePrefix + "-" + tenant;
    String archive = MOUNT + "/worker-" + imageId + ".jsa";
    Path mark = marks.resolve(volume + "-" + imageId + ".written");
    if (Files.exists(mark)) {
      return new Use(
          List.of(options("-XX:SharedArchiveFile=" + archive)),
          new Bind(volume, new Volume(MOUNT), AccessMode.ro),
          exit -> {});
    }
    String writer = volume + "/" + imageId;
    if (!writing.add(writer)) {
      return Use.NONE;
    }
    try {
      makeVolume(volume, tenant);
    } catch (RuntimeException e) {
      writing.remove(writer);
      LOG.warn("no class-data volume {}: workers start without one: {}", volume, e.toString());
      return Use.NONE;
    }
    return new Use(
        List.of(options("-XX:ArchiveClassesAtExit=" + archive)),
        new Bind(volume, new Volume(MOUNT), AccessMode.rw),
        exit -> written(writer, volume, imageId, mark, exit));
  }

  private void written(String writer, String volume, String imageId, Path mark, WorkerExit exit) {
    try {
      if (exit.exitCode() == 0) {
        Files.createDirectories(
            marks,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(mark, volume + "\n");
        LOG.info("worker class-data archive written image={} volume={}", imageId, volume);
      }
    } catch (IOException e) {
      LOG.warn("worker class-data archive not noted image={}", imageId, e);
    } finally {
      writing.remove(writer);
    }
  }

  private void makeVolume(String volume, String tenant) {
    if (!volumesMade.contains(volume)) {
      Map<String, String> tenantLabels = new java.util.HashMap<>(labels);
      tenantLabels.put(DockerWorkerRuntime.TENANT_LABEL, tenant);
      // Creating a volume that exists already returns it.
      docker.createVolumeCmd().withName(volume).withLabels(tenantLabels).exec();
      volumesMade.add(volume);
    }
  }

  /** The JVM reads these from the environment; no class-data message reaches the worker's log. */
  private static String options(String archiveOption) {
    return "JAVA_TOOL_OPTIONS=" + archiveOption + " -Xlog:cds*=off";
  }

  private static String shortId(String id) {
    String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
    return hex.substring(0, Math.min(16, hex.length()));
  }
}
