package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerJarTest {

  @TempDir Path temp;

  @Test
  void theVariableWinsOverEveryOtherPlace() throws IOException {
    Path cli = file("dist/lib/conductor.jar");
    file("dist/lib/conductor-server.jar");
    Path named = file("elsewhere/server.jar");

    assertThat(ServerJar.locate(Map.of("CONDUCTOR_SERVER_JAR", named.toString()), cli))
        .isEqualTo(named);
  }

  @Test
  void aVariableNamingNoFileIsAnErrorNotAFallBack() throws IOException {
    Path cli = file("dist/lib/conductor.jar");
    file("dist/lib/conductor-server.jar");
    Path missing = temp.resolve("missing.jar");

    assertThatThrownBy(
            () -> ServerJar.locate(Map.of("CONDUCTOR_SERVER_JAR", missing.toString()), cli))
        .isInstanceOf(ServerNotFoundException.class)
        .hasMessage(
            "CONDUCTOR_SERVER_JAR names "
                + missing
                + ", which is not a file: point it at conductor-server.jar");
  }

  @Test
  void aDistributionsServerJarIsBesideTheCli() throws IOException {
    Path cli = file("dist/lib/conductor.jar");
    Path server = file("dist/lib/conductor-server.jar");
    file("conductor/target/conductor-server.jar");

    assertThat(ServerJar.locate(Map.of(), cli)).isEqualTo(server);
  }

  @Test
  void aCheckoutsServerJarIsTheServerModulesBuild() throws IOException {
    Path cli = file("repo/cli/target/conductor.jar");
    Path server = file("repo/conductor/target/conductor-server.jar");

    assertThat(ServerJar.locate(Map.of("CONDUCTOR_SERVER_JAR", " "), cli)).isEqualTo(server);
  }

  @Test
  void noServerJarNamesWhereItLooked() throws IOException {
    Path cli = file("repo/cli/target/conductor.jar");

    assertThatThrownBy(() -> ServerJar.locate(Map.of(), cli))
        .isInstanceOf(ServerNotFoundException.class)
        .hasMessage(
            "no conductor server jar: CONDUCTOR_SERVER_JAR is not set and neither "
                + temp.resolve("repo/cli/target/conductor-server.jar")
                + " nor "
                + temp.resolve("repo/conductor/target/conductor-server.jar")
                + " exists; build it with ./mvnw package or set CONDUCTOR_SERVER_JAR");
  }

  private Path file(String path) throws IOException {
    Path file = temp.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "jar");
  }
}
