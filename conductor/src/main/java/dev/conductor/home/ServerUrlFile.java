package dev.conductor.home;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records where this conductor listens in {@code <home>/server.json} (mode 0600) while it runs, so
 * that the CLI on this machine finds it on any port. The file names the process, so a CLI can tell
 * a record left by a killed conductor from a live one.
 */
@Singleton
public class ServerUrlFile {
  public static final String FILE = "server.json";
  private static final Logger LOG = LoggerFactory.getLogger(ServerUrlFile.class);
  private static final Set<String> ANY_INTERFACE = Set.of("0.0.0.0", "::", "[::]");

  private final Path file;
  private final String host;

  ServerUrlFile(ConductorHome home, HttpServerConfiguration server) {
    String host = server.getHost().orElse("");
    this.file = home.resolve(FILE);
    this.host = host.isBlank() || ANY_INTERFACE.contains(host) ? "localhost" : host;
  }

  @EventListener
  void started(ServerStartupEvent event) {
    EmbeddedServer server = event.getSource();
    String url = server.getScheme() + "://" + hostInUrl() + ":" + server.getPort();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("url", url);
    record.put("pid", ProcessHandle.current().pid());
    ProcessHandle.current()
        .info()
        .startInstant()
        .map(Instant::toString)
        .ifPresent(started -> record.put("processStartedAt", started));
    try {
      Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp");
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      Files.write(temp, new ObjectMapper().writeValueAsBytes(record));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      // Only the CLI's discovery depends on it: the conductor serves on without it.
      LOG.warn("cannot record the server URL file={}", file, e);
    }
  }

  @EventListener
  void stopped(ServerShutdownEvent event) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot remove the server URL file={}", file, e);
    }
  }

  private String hostInUrl() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
