package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.provisioning.ProvisioningException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: small shell scripts stand in for CLIs of known versions. */
class PulumiCliTest {
  @TempDir Path dir;

  @Test
  void missingCliNamesWhereItLookedAndWhatToInstall() {
    String path = dir.resolve("a") + File.pathSeparator + dir.resolve("b");

    assertThatThrownBy(() -> PulumiCli.locate(path))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("Pulumi CLI not found")
        .hasMessageContaining(dir.resolve("a").toString())
        .hasMessageContaining(dir.resolve("b").toString())
        .hasMessageContaining("install Pulumi " + PulumiCli.MINIMUM_VERSION + " or newer")
        .hasMessageContaining("https://www.pulumi.com/docs/install/")
        .satisfies(e -> assertThat(((ProvisioningException) e).isRetryable()).isFalse());
  }

  @Test
  void tooOldCliIsRefusedWithItsVersion() throws IOException {
    Path bin = fakePulumi("old", "echo v3.50.2");

    assertThatThrownBy(() -> PulumiCli.locate(bin.toString()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("is version 3.50.2, too old")
        .hasMessageContaining(bin.resolve("pulumi").toString());
  }

  @Test
  void firstCliOnPathWithARecentVersionIsUsed() throws IOException {
    Path recent = fakePulumi("recent", "echo v3.205.1");
    Path later = fakePulumi("later", "echo v3.50.0");

    PulumiCli cli =
        PulumiCli.locate(
            dir.resolve("empty") + File.pathSeparator + recent + File.pathSeparator + later);

    assertThat(cli.executable()).isEqualTo(recent.resolve("pulumi"));
    assertThat(cli.version()).isEqualTo("3.205.1");
  }

  @Test
  void brokenCliIsReportedAsNotUsable() throws IOException {
    Path bin = fakePulumi("broken", "echo 'segmentation fault' >&2; exit 139");

    assertThatThrownBy(() -> PulumiCli.locate(bin.toString()))
        .hasMessageContaining("is not usable")
        .hasMessageContaining("segmentation fault");
  }

  @Test
  void aCliThatHangsWithItsOutputOpenIsGivenUpOn() throws IOException {
    Path bin = fakePulumi("hanging", "echo v3.205.0; sleep 30");

    assertThatThrownBy(() -> PulumiCli.locate(bin.toString(), Duration.ofSeconds(1)))
        .hasMessageContaining("did not answer within 1 s");
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(PulumiCli.compare("3.100.0", "3.95.0")).isPositive();
    assertThat(PulumiCli.compare("3.95.0", "3.95.0")).isZero();
    assertThat(PulumiCli.compare("2.99.99", "3.0.0")).isNegative();
  }

  private Path fakePulumi(String name, String body) throws IOException {
    Path bin = Files.createDirectories(dir.resolve(name));
    Path script = bin.resolve("pulumi");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }
}
