package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conductor.messaging.DockerImages;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.ProvisionerContract;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.provisioning.TenantSpec;
import dev.conductor.provisioning.pulumi.docker.DockerNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioner contract for the pulumi adapter on its docker target: real stacks through the
 * Pulumi CLI on a file backend, real containers on the local Docker engine, the topology on a real
 * embedded Artemis. Runs wherever a Pulumi CLI is on PATH and a Docker engine answers; every case
 * is skipped with the reason otherwise.
 */
class PulumiDockerProvisionerContractTest extends ProvisionerContract {
  private static final String NETWORK = "conductor-contract";
  private static final String DATABASE_IMAGE = "postgres:17-alpine";
  private static final String APP_IMAGE = "nginx:1.27-alpine";
  private static final String BUS_USER = "conductor";
  private static final String BUS_PASSWORD = "bus-secret-for-tests";

  private static Path home;
  private static EmbeddedArtemis artemis;
  private static MessageBus bus;

  @Override
  protected Provisioner createProvisioner() {
    String missing = missingEngine();
    assumeTrue(missing == null, missing);
    try {
      if (bus == null) {
        home = Files.createTempDirectory("pulumi-contract");
        docker("network", "create", NETWORK);
        artemis =
            EmbeddedArtemis.start(
                new EmbeddedArtemis.Settings(
                    home.resolve("artemis"), "127.0.0.1", 0, false, BUS_USER, BUS_PASSWORD));
        bus = ArtemisMessageBus.connect(artemis.url(), BUS_USER, BUS_PASSWORD);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the contract's engines", e);
    }
    Path state = home.resolve("state");
    try {
      Files.createDirectories(state);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new PulumiProvisioner(
        new DockerTarget(NETWORK, DATABASE_IMAGE, APP_IMAGE, "localhost"),
        plan -> InfrastructurePlan.DEFAULTS,
        new AutomationStackEngine(
            new PulumiBackend(
                "conductor-contract",
                state.toUri().toString(),
                "passphrase",
                Map.of("PULUMI_CONFIG_PASSPHRASE", "contract-passphrase")),
            System.getenv("PATH")),
        new PulumiSettings(home.resolve("workspaces"), 2, 3, Duration.ofSeconds(1)),
        bus,
        null,
        Clock.systemUTC());
  }

  @Override
  protected String workerImage() {
    return "busybox:1.36";
  }

  @Override
  protected Set<Kind> materialisedKinds() {
    // The worker container is a template (a pulled image kept locally), not a running resource.
    return EnumSet.of(Kind.DATABASE, Kind.QUEUE, Kind.APP);
  }

  @Override
  protected boolean exists(TenantSpec tenant, Kind kind) {
    DockerNames names = DockerNames.of(tenant.name());
    return switch (kind) {
      case DATABASE -> containerExists(names.postgresContainer());
      case QUEUE ->
          allOrNone(
              kind,
              bus.topicExists(tenant.names().jobTopic()),
              bus.queueExists(tenant.names().controlQueue()));
      case APP -> containerExists(names.appContainer());
      case CONTAINER -> true;
    };
  }

  @Override
  protected String removeOneResourceOutOfBand(TenantSpec tenant) {
    docker("rm", "-f", DockerNames.of(tenant.name()).appContainer());
    return "docker:index/container:Container app";
  }

  @Test
  void theTenantReachesItsDatabaseWithTheProvisionedCredentials() throws Exception {
    TenantSpec tenant = newTenant();
    ProvisionedResources resources = provisioner.provision(tenant, ProgressListener.NONE);
    Map<String, String> database = resources.database().identifiers();
    String url =
        "jdbc:postgresql://"
            + database.get("host")
            + ":"
            + database.get("port")
            + "/"
            + database.get("database");

    // The container may still be starting up after `up`: give it the time a tenant app would.
    boolean connected =
        connects(
            url,
            database.get("role"),
            resources.database().secrets().get("password"),
            Duration.ofSeconds(60));

    assertThat(connected).isTrue();
  }

  @AfterAll
  static void stopEngines() throws Exception {
    if (bus != null) {
      bus.close();
      artemis.close();
      docker("network", "rm", NETWORK);
    }
  }

  /** Whether a login succeeds within the limit; refusals meanwhile are the database starting. */
  private static boolean connects(String url, String user, String password, Duration limit) {
    try {
      return Awaitility.await()
          .atMost(limit)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofSeconds(1))
          .ignoreException(SQLException.class)
          .until(
              () -> {
                try (Connection connection = DriverManager.getConnection(url, user, password)) {
                  return connection.isValid(5);
                }
              },
              valid -> true);
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private static boolean containerExists(String name) {
    return docker("container", "inspect", name) == 0;
  }

  private static String missingEngine() {
    try {
      PulumiCli.locate(System.getenv("PATH"));
    } catch (ProvisioningException e) {
      return "needs a Pulumi CLI: " + e.getMessage();
    }
    // Absent images would be pulled, which hangs where the daemon reaches no registry.
    return DockerImages.missing(List.of(DATABASE_IMAGE, APP_IMAGE)).orElse(null);
  }

  private static int docker(String... arguments) {
    String[] command = new String[arguments.length + 1];
    command[0] = "docker";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
