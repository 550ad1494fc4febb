package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which class path worker processes run with, and the copy of the slim jar they run from. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerClassPathTest {
  @TempDir Path temp;

  @Test
  void anExplicitClassPathWins() throws Exception {
    Path lib = serverLib();
    assertThat(
            WorkerClassPath.of(
                new ProcessRuntimeSettings("/opt/handlers/*:/opt/w.jar", null, true),
                "artemis",
                lib.resolve("conductor-server.jar"),
                home()))
        .isEqualTo("/opt/handlers/*:/opt/w.jar");
  }

  @Test
  void theSlimJarBesideTheServerRunsWorkersFromACopyInTheHomeNamedByItsContent() throws Exception {
    Path lib = serverLib();
    String classpath =
        WorkerClassPath.of(
            new ProcessRuntimeSettings(null, null, true),
            "artemis",
            lib.resolve("conductor-server.jar"),
            home());

    Path copy = Path.of(classpath);
    assertThat(copy.getParent()).isEqualTo(home().resolve("worker"));
    assertThat(copy.getFileName().toString()).matches("conductor-worker-[0-9a-f]{16}\\.jar");
    assertThat(Files.readString(copy)).isEqualTo("the worker v1");

    // A rebuilt jar gets a copy of its own; the one running workers use stays as it was.
    Files.writeString(lib.resolve("conductor-worker.jar"), "the worker v2");
    String rebuilt =
        WorkerClassPath.of(
            new ProcessRuntimeSettings(null, null, true),
            "artemis",
            lib.resolve("conductor-server.jar"),
            home());
    assertThat(rebuilt).isNotEqualTo(classpath);
    assertThat(Files.readString(copy)).isEqualTo("the worker v1");
  }

  @Test
  void aNamedWorkerJarIsUsedAndAMissingOneIsRefusedNamingTheSetting() throws Exception {
    Path jar = Files.writeString(temp.resolve("w.jar"), "named");
    String classpath =
        WorkerClassPath.of(
            new ProcessRuntimeSettings(null, jar.toString(), true), "artemis", null, home());
    assertThat(Files.readString(Path.of(classpath))).isEqualTo("named");

    assertThatThrownBy(
            () ->
                WorkerClassPath.of(
                    new ProcessRuntimeSettings(null, temp.resolve("absent.jar").toString(), true),
                    "artemis",
                    null,
                    home()))
        .hasMessageContaining("conductor.runtime.process.worker-jar names")
        .hasMessageContaining("absent.jar, which is not a file");
  }

  /** The slim jar carries the Artemis client only: on Service Bus workers need the server's. */
  @Test
  void onServiceBusOrWithoutASlimJarWorkersRunOnTheConductorsClassPath() throws Exception {
    Path lib = serverLib();
    assertThat(
            WorkerClassPath.of(
                new ProcessRuntimeSettings(null, null, true),
                "servicebus",
                lib.resolve("conductor-server.jar"),
                home()))
        .isEqualTo(System.getProperty("java.class.path"));
    assertThat(
            WorkerClassPath.of(
                new ProcessRuntimeSettings(null, null, true),
                "artemis",
                temp.resolve("elsewhere/conductor-server.jar"),
                home()))
        .isEqualTo(System.getProperty("java.class.path"));
  }

  private Path serverLib() throws Exception {
    Path lib = Files.createDirectories(temp.resolve("lib"));
    Files.writeString(lib.resolve("conductor-server.jar"), "the server");
    Files.writeString(lib.resolve("conductor-worker.jar"), "the worker v1");
    return lib;
  }

  private Path home() throws Exception {
    return Files.createDirectories(temp.resolve("home"));
  }
}
