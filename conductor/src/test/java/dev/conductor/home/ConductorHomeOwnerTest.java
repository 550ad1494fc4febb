package dev.conductor.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user without a name owns its home all the same: a container run as a bare uid (the server image
 * runs as 65532, which no passwd file names) has user.name "?", and was refused its own home.
 */
class ConductorHomeOwnerTest {
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aUserTheSystemDoesNotNameOpensItsOwnHome(@TempDir Path parent) throws Exception {
    String name = System.getProperty("user.name");
    // What the JVM reports for a uid with no passwd entry.
    System.setProperty("user.name", "?");
    try (ConductorHome home = ConductorHome.open(parent.resolve("home"))) {
      assertThat(Files.isDirectory(home.root())).isTrue();
    } finally {
      System.setProperty("user.name", name);
    }
  }
}
