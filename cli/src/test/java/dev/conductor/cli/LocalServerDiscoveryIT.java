package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI finds a local conductor on any port through the URL it records in its home. */
class LocalServerDiscoveryIT {

  @TempDir Path home;

  @Test
  @Timeout(180)
  void theCliWithOnlyTheHomeSetFindsAServerOnARandomPort() throws Exception {
    Path record = home.resolve("server.json");
    try (RunningConductor conductor =
        RunningConductor.start(Map.of("conductor.home", home.toString()))) {
      assertThat(conductor.url().getPort()).isNotEqualTo(8080);
      assertThat(Files.getPosixFilePermissions(record))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(URI.create(Json.text(Json.parse(Files.readString(record)), "url")).getPort())
          .isEqualTo(conductor.url().getPort());

      CliRun list = CliRun.execute(Map.of("CONDUCTOR_HOME", home.toString()), "tenants", "list");

      assertThat(list.exitCode()).as(list.toString()).isZero();
      assertThat(list.out())
          .isEqualTo("No tenants yet. Onboard one with: conductor tenants create NAME\n");
    }
    assertThat(record).as("removed when the conductor stops").doesNotExist();
  }
}
