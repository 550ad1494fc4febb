package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bin/conductor} launcher, run from a copy of the repository whose build step ({@code
 * mvnw}) is a stub that copies prepared jars over {@code cli/target/conductor.jar} and {@code
 * conductor/target/conductor-server.jar}, in place as Maven does: the real build would rewrite the
 * jars the other ITs run. Everything else is real: the launcher, the product jars, a {@code
 * conductor server} started through the launcher (the CLI and its server JVM), the CLI.
 */
class LauncherIT {

  private static final Duration RUN_LIMIT = Duration.ofSeconds(120);
  private static final Pattern CLI_COPY = Pattern.compile("conductor-\\p{XDigit}{16}\\.jar");
  private static final Pattern SERVER_COPY =
      Pattern.compile("conductor-server-\\p{XDigit}{16}\\.jar");

  @TempDir Path temp;

  private ConductorProcess server;

  @RegisterExtension
  final ServerLogOnFailure serverLog = new ServerLogOnFailure(() -> Arrays.asList(server));

  @Test
  @Timeout(600)
  void aRebuildLeavesTheRunningServersJarAloneAndTheLauncherRunsFromPath() throws Exception {
    Path repo = checkoutWithStubBuild();
    Path next = repo.resolve("next.jar");
    Files.copy(E2e.jar(), next);
    Path nextServer = repo.resolve("next-server.jar");
    Files.copy(E2e.serverJar(), nextServer);
    Path cache = temp.resolve("jar-cache");
    Path home = temp.resolve("home");
    Map<String, String> environment =
        Map.of(
            "PATH", pathWithLinkTo(repo.resolve("bin/conductor")),
            "CONDUCTOR_JAR_CACHE", cache.toString(),
            "XDG_CACHE_HOME", temp.resolve("cache-home").toString(),
            "CONDUCTOR_HOME", home.toString());

    server =
        ConductorProcess.start(
            "launcher-server",
            home,
            environment,
            E2e.freePort(),
            E2e.freePort(),
            List.of(repo.resolve("bin/conductor").toString(), "server"));
    try {
      Path serverJar = jarOf(server.pid());
      assertThat(sha256(serverJar)).isEqualTo(sha256(E2e.jar()));
      Path serverJvmJar = jarOf(serverJvmOf(server.pid()));
      assertThat(sha256(serverJvmJar)).isEqualTo(sha256(E2e.serverJar()));

      // A source change: the next verb rebuilds, which rewrites both jars in place.
      addEntry(next, "rebuilt.txt");
      addEntry(nextServer, "rebuilt.txt");
      Files.setLastModifiedTime(
          repo.resolve("cli/src/main/java/Source.java"), FileTime.from(Instant.now()));
      Run rebuilt = run(environment, repo.resolve("bin/conductor").toString(), "--version");

      assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
      assertThat(sha256(serverJar))
          .as("the jar the running server was started from")
          .isEqualTo(sha256(E2e.jar()));
      assertThat(serverJar.getParent()).as("a launcher's copy").isEqualTo(cache);
      assertThat(sha256(serverJvmJar))
          .as("the server jar the running server JVM and its workers run")
          .isEqualTo(sha256(E2e.serverJar()));
      assertThat(serverJvmJar.getParent()).as("a launcher's copy").isEqualTo(cache);
      assertThat(rebuilt.out()).startsWith("conductor ");
      assertThat(rebuilt.err())
          .contains("building the conductor CLI (sources changed since the last build)...\n")
          .containsPattern("built the conductor CLI in \\d+ s\n");
      assertThat(sha256(repo.resolve("cli/target/conductor.jar"))).isEqualTo(sha256(next));
      assertThat(sha256(repo.resolve("conductor/target/conductor-server.jar")))
          .isEqualTo(sha256(nextServer));

      // Through the link on PATH, with only the home to find the server on its port: onboarding
      // loads server classes the server had not needed yet.
      Run create =
          run(
              environment,
              "env",
              "conductor",
              "tenants",
              "create",
              "launched",
              "--plan",
              "dev",
              "--wait");

      assertThat(create.exitCode()).as(create.toString()).isZero();
      assertThat(create.out()).containsPattern("operation \\S+ succeeded");
      assertThat(create.err()).doesNotContain("building");
      assertThat(server.health()).isEqualTo("UP");

      // An old copy a running process names is kept, however long unused.
      age(serverJar);
      age(serverJvmJar);
      assertThat(run(environment, "env", "conductor", "--version").exitCode()).isZero();
      assertThat(serverJar).exists();
      assertThat(serverJvmJar).exists();
      assertThat(copies(cache, CLI_COPY)).hasSize(2);
      assertThat(copies(cache, SERVER_COPY)).hasSize(2);

      server.close();
      run(environment, "env", "conductor", "--version");
      assertThat(serverJar).as("pruned once no process runs it").doesNotExist();
      assertThat(serverJvmJar).as("pruned once no process runs it").doesNotExist();
      assertThat(copies(cache, CLI_COPY))
          .singleElement()
          .satisfies(copy -> sameContent(copy, next));
      assertThat(copies(cache, SERVER_COPY))
          .singleElement()
          .satisfies(copy -> sameContent(copy, nextServer));
    } finally {
      server.close();
    }
  }

  /** A repository with the real launcher whose build copies {@code next.jar} into place. */
  private Path checkoutWithStubBuild() throws IOException {
    Path repo = temp.resolve("repo");
    Path launcher = repo.resolve("bin/conductor");
    Files.createDirectories(launcher.getParent());
    Path checkout = E2e.jar().getParent().getParent().getParent();
    Files.copy(checkout.resolve("bin/conductor"), launcher);
    // It ends by running the distribution's launcher on its copies.
    Path distribution = repo.resolve("dist/src/bin/conductor");
    Files.createDirectories(distribution.getParent());
    Files.copy(checkout.resolve("dist/src/bin/conductor"), distribution);
    Path source = repo.resolve("cli/src/main/java/Source.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class Source {}\n");
    Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
    Path mvnw = repo.resolve("mvnw");
    Files.writeString(
        mvnw,
        "#!/usr/bin/env bash\n"
            + "set -e\n"
            + "echo \"$*\" >>build.log\n"
            + "mkdir -p cli/target conductor/target\n"
            + "cp next.jar cli/target/conductor.jar\n"
            + "cp next-server.jar conductor/target/conductor-server.jar\n");
    for (Path executable : List.of(launcher, distribution, mvnw)) {
      Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return repo;
  }

  /** PATH with a link to a link to the launcher first, then this JVM's java. */
  private String pathWithLinkTo(Path launcher) throws IOException {
    Path links = Files.createDirectories(temp.resolve("links"));
    Files.createSymbolicLink(
        links.resolve("conductor-launcher"), links.relativize(launcher)); // relative, as ln -s does
    Path bin = Files.createDirectories(temp.resolve("path"));
    Files.createSymbolicLink(bin.resolve("conductor"), links.resolve("conductor-launcher"));
    return bin + ":" + Path.of(E2e.java()).getParent() + ":" + System.getenv("PATH");
  }

  /** The jar a java process runs, from its command line: {@code java ... -jar JAR ...}. */
  private static Path jarOf(long pid) {
    List<String> arguments =
        List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
    int jar = arguments.indexOf("-jar");
    assertThat(jar).as("java -jar in %s", arguments).isNotNegative();
    return Path.of(arguments.get(jar + 1));
  }

  /** Rewrites {@code jar} with one more entry, so that its content and hash change. */
  private static void addEntry(Path jar, String name) throws IOException {
    try (FileSystem zip = FileSystems.newFileSystem(jar)) {
      Files.writeString(zip.getPath(name), name, StandardCharsets.UTF_8);
    }
  }

  private static void age(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
  }

  /** The launcher's copies in {@code cache} whose names match {@code name}. */
  private static List<Path> copies(Path cache, Pattern name) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(file -> name.matcher(file.getFileName().toString()).matches()).toList();
    }
  }

  /** The server JVM that {@code conductor server} (pid {@code cli}) runs as its child. */
  private static long serverJvmOf(long cli) {
    return ProcessHandle.of(cli).orElseThrow().children().findFirst().orElseThrow().pid();
  }

  private static void sameContent(Path copy, Path expected) {
    try {
      assertThat(sha256(copy)).isEqualTo(sha256(expected));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  record Run(int exitCode, String out, String err) {}

  /**
   * Runs a command as a shell would, with {@code environment} as its only CONDUCTOR_* variables.
   */
  private Run run(Map<String, String> environment, String... command) throws Exception {
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> clean = E2e.environment(builder.environment(), environment);
    builder.environment().clear();
    builder.environment().putAll(clean);
    Process process = builder.start();
    try {
      if (!process.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not end in " + RUN_LIMIT);
      }
    } finally {
      process.destroyForcibly();
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
