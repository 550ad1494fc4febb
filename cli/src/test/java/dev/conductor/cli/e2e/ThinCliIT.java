package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI jar is a thin client: none of the server is in it, and {@code conductor server} without a
 * server jar to run says where it looked, in one line.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ThinCliIT {

  @TempDir Path temp;

  @Test
  void theCliJarHoldsNoServerClasses() throws IOException {
    List<String> entries;
    try (ZipFile jar = new ZipFile(E2e.jar().toFile())) {
      entries = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
    }

    assertThat(entries)
        .contains("dev/conductor/cli/ConductorCli.class", "picocli/CommandLine.class")
        .doesNotContain("dev/conductor/ConductorServer.class")
        .noneMatch(entry -> entry.startsWith("dev/conductor/runtime/"))
        .noneMatch(entry -> entry.startsWith("io/micronaut/"))
        .noneMatch(entry -> entry.startsWith("io/netty/"))
        .noneMatch(entry -> entry.startsWith("org/apache/activemq/"))
        .noneMatch(entry -> entry.startsWith("io/zonky/"))
        .noneMatch(entry -> entry.startsWith("org/postgresql/"));
  }

  @Test
  void serverWithNoServerJarBesideTheCliSaysWhereItLooked() throws Exception {
    Path cli = Files.copy(E2e.jar(), temp.resolve("conductor.jar"));

    Run server = run(cli, Map.of(), "server");

    assertThat(server.exitCode()).as(server.toString()).isEqualTo(2);
    assertThat(server.errLines())
        .as(server.toString())
        .singleElement()
        .asString()
        .startsWith("error: no conductor server jar: CONDUCTOR_SERVER_JAR is not set and neither ")
        .contains(temp.resolve("conductor-server.jar").toString())
        .endsWith("exists; build it with ./mvnw package or set CONDUCTOR_SERVER_JAR");
    assertThat(server.out()).isEmpty();
  }

  @Test
  void serverWithAServerJarVariableNamingNoFileSaysSo() throws Exception {
    Path missing = temp.resolve("missing/conductor-server.jar");

    Run server = run(E2e.jar(), Map.of("CONDUCTOR_SERVER_JAR", missing.toString()), "server");

    assertThat(server.exitCode()).as(server.toString()).isEqualTo(2);
    assertThat(server.errLines())
        .containsExactly(
            "error: CONDUCTOR_SERVER_JAR names "
                + missing
                + ", which is not a file: point it at conductor-server.jar");
  }

  private record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private Run run(Path jar, Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(E2e.java(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> clean = E2e.environment(builder.environment(), environment);
    builder.environment().clear();
    builder.environment().putAll(clean);
    Process process = builder.start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
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
