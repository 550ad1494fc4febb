package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a command goes, and with which token, once contexts are saved. */
class ContextsTest {

  @TempDir Path home;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void twoContexts() throws IOException {
    env.put("CONDUCTOR_HOME", home.toString());
    Files.writeString(home.resolve("admin-token"), "local-token");
    Contexts contexts = Contexts.load(home);
    contexts.put("staging", new Contexts.Context("https://staging.example.com", "staging-token"));
    contexts.put("prod", new Contexts.Context("https://prod.example.com", "prod-token"));
    contexts.save();
  }

  @Test
  void aContextsCaFileIsSavedAndUsedForItsServerOnly() throws IOException {
    Path ca = home.resolve("ca.pem");
    Contexts contexts = Contexts.load(home);
    contexts.put("private", new Contexts.Context("https://ca.example.com", "t", ca.toString()));
    contexts.save();

    assertThat(Contexts.load(home).all().get("private").caFile()).isEqualTo(ca.toString());
    assertThat(ConnectionSettings.resolve(null, null, env).caFile()).contains(ca);
    env.put("CONDUCTOR_URL", "https://other.example.com");
    assertThat(ConnectionSettings.resolve(null, null, env).caFile()).isEmpty();
  }

  @Test
  void theCurrentContextGivesServerAndToken() {
    ConnectionSettings settings = ConnectionSettings.resolve(null, null, env);

    assertThat(settings.server()).isEqualTo(URI.create("https://prod.example.com"));
    assertThat(settings.token()).contains("prod-token");
  }

  @Test
  void theEnvironmentBeatsTheCurrentContextWhoseTokenStaysWithItsServer() {
    env.put("CONDUCTOR_URL", "http://localhost:9000");

    ConnectionSettings settings = ConnectionSettings.resolve(null, null, env);

    assertThat(settings.server()).isEqualTo(URI.create("http://localhost:9000"));
    assertThat(settings.token()).contains("local-token");
  }

  @Test
  void aNamedContextBeatsTheEnvironmentButNotTheFlags() {
    env.put("CONDUCTOR_URL", "http://localhost:9000");
    env.put("CONDUCTOR_TOKEN", "env-token");

    ConnectionSettings named = ConnectionSettings.resolve(null, null, "staging", env);
    ConnectionSettings flags = ConnectionSettings.resolve("http://other:1", "flag", "staging", env);

    assertThat(named.server()).isEqualTo(URI.create("https://staging.example.com"));
    assertThat(named.token()).contains("staging-token");
    assertThat(flags.server()).isEqualTo(URI.create("http://other:1"));
    assertThat(flags.token()).contains("flag");
  }

  @Test
  void anUnknownContextNamesTheOnesThereAre() {
    assertThatThrownBy(() -> ConnectionSettings.resolve(null, null, "qa", env))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("no context 'qa'; there are: prod, staging");
  }

  @Test
  void useAndDeleteMoveTheCurrentContext() {
    Contexts contexts = Contexts.load(home);
    contexts.use("staging");
    contexts.save();
    assertThat(Contexts.load(home).currentName()).contains("staging");

    contexts.remove("staging");
    contexts.save();
    Contexts after = Contexts.load(home);
    assertThat(after.currentName()).isEmpty();
    assertThat(after.all()).containsOnlyKeys("prod");
    // With no current context, the local server's settings apply again.
    assertThat(ConnectionSettings.resolve(null, null, env).token()).contains("local-token");
  }

  @Test
  void theFileIsTheOwnersOnlyAndAForeignOneIsRefusedClearly() throws IOException {
    Path file = home.resolve("contexts.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    Files.writeString(file, "{\"contexts\":{\"x\":{\"server\":\"http://a:1\"}}}");
    assertThatThrownBy(() -> ConnectionSettings.resolve(null, null, env))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not a contexts file this CLI wrote")
        .hasMessageContaining("remove it and log in again");
  }

  @Test
  void aContextNeverPrintsItsToken() {
    assertThat(new Contexts.Context("https://prod.example.com", "prod-token").toString())
        .doesNotContain("prod-token");
  }
}
