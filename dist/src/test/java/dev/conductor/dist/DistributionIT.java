package dev.conductor.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive a user installs from, unpacked afresh with {@code tar} and run without Maven: its
 * layout, and {@code bin/conductor} finding java and, for {@code server}, the server jar beside it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DistributionIT {

  @TempDir Path temp;

  private Path installed;

  @BeforeEach
  void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("conductor.distribution")).toAbsolutePath();
    assertThat(archive).as("built by ./mvnw package").isRegularFile();
    Run tar = run(List.of("tar", "-xzf", archive.toString(), "-C", temp.toString()), Map.of());
    assertThat(tar.exitCode()).as(tar.toString()).isZero();
    String name = archive.getFileName().toString().replace(".tar.gz", "");
    installed = temp.resolve(name);
  }

  @Test
  void theArchiveHoldsTheLauncherTheCliAndTheServer() throws IOException {
    List<String> files;
    try (Stream<Path> walk = Files.walk(installed)) {
      files =
          walk.filter(Files::isRegularFile)
              .map(file -> installed.relativize(file).toString())
              .sorted()
              .toList();
    }

    assertThat(files)
        .as("the one top-level directory %s", installed.getFileName())
        .contains(
            "bin/conductor",
            "lib/conductor.jar",
            "lib/conductor-server.jar",
            "lib/conductor-worker.jar",
            "README.md")
        .allMatch(
            file -> file.startsWith("bin/") || file.startsWith("lib/") || !file.contains("/"));
    assertThat(installed.resolve("bin/conductor")).isExecutable();
  }

  @Test
  void theLauncherRunsTheCliOnTheJavaOnPath() throws Exception {
    Run version =
        run(List.of(installed.resolve("bin/conductor").toString(), "--version"), pathWithJava());

    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).as(version.toString()).startsWith("conductor ");
  }

  @Test
  void theLauncherRunsTheCliOnJavaHomeThroughALinkOnPath() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("path"));
    Files.createSymbolicLink(bin.resolve("conductor"), installed.resolve("bin/conductor"));
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", bin + ":/usr/bin:/bin");
    environment.put("JAVA_HOME", System.getProperty("java.home"));

    // env looks conductor up on the PATH given here, as a shell would.
    Run help = run(List.of("env", "conductor", "--help"), environment);

    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out()).as(help.toString()).contains("server", "tenants", "jobs");
  }

  @Test
  void theLauncherWritesAClassDataArchiveOnceAndLaterCommandsStartFromIt() throws Exception {
    String launcher = installed.resolve("bin/conductor").toString();
    Run first = run(List.of(launcher, "--version"), pathWithJava());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    List<Path> archives = archives();
    assertThat(archives).as("one archive of this jar on this JDK").hasSize(1);

    // -Xshare:on: the JVM refuses to start unless it maps the archive it was given.
    Map<String, String> strict = new HashMap<>(pathWithJava());
    strict.put("CONDUCTOR_JAVA_OPTS", "-Xshare:on");
    Run second = run(List.of(launcher, "--version"), strict);

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(second.err()).as("no class-data message in the output").isEmpty();
    assertThat(archives()).isEqualTo(archives);
  }

  @Test
  void withClassDataSharingOffTheLauncherWritesNothing() throws Exception {
    Map<String, String> environment = new HashMap<>(pathWithJava());
    environment.put("CONDUCTOR_CDS", "off");

    Run version =
        run(List.of(installed.resolve("bin/conductor").toString(), "--version"), environment);

    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(archives()).isEmpty();
  }

  private List<Path> archives() throws IOException {
    Path cds = cache().resolve("conductor/cds");
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).sorted().toList();
    }
  }

  /** This test's own cache home: the launcher keeps its class-data archives under it. */
  private Path cache() {
    return temp.resolve("cache");
  }

  /** The server jar beside the CLI runs: its own refusal of a bad setting, one line and exit 2. */
  @Test
  void serverRunsTheServerJarOfTheDistribution() throws Exception {
    Map<String, String> environment = new HashMap<>(pathWithJava());
    environment.put("CONDUCTOR_HOME", temp.resolve("home").toString());
    environment.put("CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT", "61616x");

    Run server = run(List.of(installed.resolve("bin/conductor").toString(), "server"), environment);

    assertThat(server.exitCode()).as(server.toString()).isEqualTo(2);
    assertThat(server.err().lines())
        .as(server.toString())
        .containsExactly(
            "error: '61616x' is not a valid port (0 to 65535): set"
                + " conductor.bus.artemis.embedded-port (CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT)");
  }

  private static Map<String, String> pathWithJava() {
    return Map.of("PATH", Path.of(java()).getParent() + ":/usr/bin:/bin");
  }

  /** The java binary running this test. */
  private static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private record Run(int exitCode, String out, String err) {}

  /** Runs a command with no CONDUCTOR_*, JAVA_HOME or PATH of this JVM, only {@code variables}. */
  private Run run(List<String> command, Map<String, String> variables) throws Exception {
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("CONDUCTOR_")
                    || name.startsWith("MICRONAUT_")
                    || name.equals("JAVA_HOME")
                    || name.equals("PATH"));
    builder.environment().put("XDG_CACHE_HOME", cache().toString());
    builder.environment().putAll(variables);
    Process process = builder.start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not end within 120 s");
      }
    } finally {
      process.destroyForcibly();
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
