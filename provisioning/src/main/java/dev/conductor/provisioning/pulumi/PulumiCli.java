package dev.conductor.provisioning.pulumi;

import dev.conductor.provisioning.ProvisioningException;
import jakarta.annotation.Nullable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pulumi} executable the Automation API drives. Found once, before the first stack
 * operation, so that a missing or too old CLI is one clear error naming what to install and where
 * it looked, instead of an engine failure half-way through an update.
 */
public record PulumiCli(Path executable, String version) {

  /** The oldest CLI the Automation API of pulumi-java 1.36 accepts. */
  public static final String MINIMUM_VERSION = "3.95.0";

  private static final String INSTALL_HINT =
      "install Pulumi " + MINIMUM_VERSION + " or newer (https://www.pulumi.com/docs/install/)";
  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

  /**
   * Finds {@code pulumi} in the directories of {@code path} (the conductor's PATH: the Automation
   * API starts the CLI by name) and checks its version.
   */
  public static PulumiCli locate(String path) {
    return locate(path, Duration.ofSeconds(30));
  }

  static PulumiCli locate(String path, Duration patience) {
    List<Path> candidates = new ArrayList<>();
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, "pulumi"));
      }
    }
    Path found =
        candidates.stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () ->
                    new ProvisioningException(
                        "Pulumi CLI not found on the conductor's PATH (looked in "
                            + candidates.stream().map(Path::getParent).toList()
                            + "): "
                            + INSTALL_HINT
                            + " and put its bin directory (the installer uses ~/.pulumi/bin) on"
                            + " PATH",
                        false,
                        null));
    String version = versionOf(found, patience);
    if (compare(version, MINIMUM_VERSION) < 0) {
      throw new ProvisioningException(
          "Pulumi CLI " + found + " is version " + version + ", too old: " + INSTALL_HINT,
          false,
          null);
    }
    return new PulumiCli(found, version);
  }

  private static String versionOf(Path executable, Duration patience) {
    Path output = null;
    try {
      // To a file, not a pipe: a CLI that hangs with its output open must still hit the timeout.
      output = Files.createTempFile("pulumi-version", ".txt");
      Process process =
          new ProcessBuilder(executable.toString(), "version")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw unusable(
            executable, "`pulumi version` did not answer within " + patience.toSeconds() + " s");
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      Matcher matcher = VERSION.matcher(out);
      if (process.exitValue() != 0 || !matcher.find()) {
        throw unusable(executable, "`pulumi version` answered " + firstLine(out));
      }
      return matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3);
    } catch (IOException e) {
      throw unusable(executable, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unusable(executable, "interrupted");
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // A temporary file left behind is harmless.
        }
      }
    }
  }

  private static ProvisioningException unusable(Path executable, @Nullable String why) {
    return new ProvisioningException(
        "Pulumi CLI " + executable + " is not usable (" + why + "); " + INSTALL_HINT, false, null);
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    return "'" + (newline < 0 ? trimmed : trimmed.substring(0, newline)) + "'";
  }

  /** Compares dotted versions numerically: 3.100.0 is newer than 3.95.0. */
  static int compare(String left, String right) {
    String[] a = left.split("\\.");
    String[] b = right.split("\\.");
    for (int i = 0; i < 3; i++) {
      int diff = Long.compare(Long.parseLong(a[i]), Long.parseLong(b[i]));
      if (diff != 0) {
        return diff;
      }
    }
    return 0;
  }
}
