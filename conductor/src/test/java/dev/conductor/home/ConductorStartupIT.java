package dev.conductor.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.ConductorServer;
import dev.conductor.provisioning.Resource;
import dev.conductor.tenant.TenantResources;
import dev.conductor.testing.RunningConductor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a conductor as a user would, twice on one machine and again on the same home: ports that
 * stay put, and one line naming the setting when something is in the way.
 */
class ConductorStartupIT {
  @TempDir Path temp;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aTenantsDatabaseStillConnectsAfterTheConductorRestarts() throws Exception {
    Map<String, Object> properties = Map.of("conductor.home", temp.resolve("home").toString());
    Resource database;
    try (RunningConductor first = RunningConductor.start(properties)) {
      first.onboard("steady", "dev");
      database = storedDatabase(first, "steady");
      assertConnects(database);
    }
    try (RunningConductor second = RunningConductor.start(properties)) {
      assertThat(storedDatabase(second, "steady")).isEqualTo(database);
      assertConnects(database);
    }
    // A home from a version that did not record the port keeps the port of its last start.
    Files.delete(temp.resolve("home").resolve(EmbeddedPostgresServer.PORT_FILE));
    try (RunningConductor third = RunningConductor.start(properties)) {
      assertConnects(database);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTakenDatabasePortIsRefusedAtOnceNamingTheSetting() throws Exception {
    Path home = temp.resolve("home");
    int port;
    try (RunningConductor first =
        RunningConductor.start(Map.of("conductor.home", home.toString()))) {
      port = Integer.parseInt(Files.readString(home.resolve("postgres-port")).trim());
    }
    try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> RunningConductor.start(Map.of("conductor.home", home.toString())))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining("port " + port + " is in use")
          .hasMessageContaining("CONDUCTOR_DATABASE_EMBEDDED_PORT");
    }
    // Nothing was left half-started: the home starts again once the port is free.
    try (RunningConductor again =
        RunningConductor.start(Map.of("conductor.home", home.toString()))) {
      assertThat(again.server().context().getProperty("datasources.default.url", String.class))
          .hasValueSatisfying(url -> assertThat(url).contains(":" + port + "/"));
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTakenBrokerOrHttpPortIsRefusedBeforeAnythingStarts() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int taken = squatter.getLocalPort();
      assertThatThrownBy(
              () -> start(Map.of("conductor.bus.artemis.embedded-port", taken), "broker"))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessage(
              "embedded broker port "
                  + taken
                  + " is in use by another program: stop it or set"
                  + " conductor.bus.artemis.embedded-port (CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT)");
      assertThatThrownBy(() -> start(Map.of("micronaut.server.port", taken), "http"))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessage(
              "HTTP port "
                  + taken
                  + " is in use by another program: stop it or set"
                  + " micronaut.server.port (MICRONAUT_SERVER_PORT)");
      // Refused before PostgreSQL was even unpacked, let alone started.
      assertThat(temp.resolve("broker/postgres")).doesNotExist();
      assertThat(temp.resolve("http/postgres")).doesNotExist();
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aSecondConductorOnAHomeInUseIsRefusedNamingTheSetting() {
    Map<String, Object> properties = Map.of("conductor.home", temp.resolve("home").toString());
    try (RunningConductor first = RunningConductor.start(properties)) {
      assertThatThrownBy(() -> RunningConductor.start(properties))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining("another conductor is running with home")
          .hasMessageContaining("CONDUCTOR_HOME");
    }
  }

  @Test
  void aPortSettingThatIsNotAPortIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> start(Map.of("conductor.bus.artemis.embedded-port", "6161x"), "bad"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "'6161x' is not a valid port (0 to 65535): set"
                + " conductor.bus.artemis.embedded-port (CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT)");
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aSettingOfTheWrongTypeOrAnUnknownKindIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> start(Map.of("conductor.operations.lease", "soon"), "lease"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "conductor.operations.lease (CONDUCTOR_OPERATIONS_LEASE) is not a valid Duration"
                + " (e.g. 500ms, 15s, 2m): change it");
    assertThatThrownBy(() -> start(Map.of("conductor.bus.kind", "kafka"), "kind"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "conductor.bus.kind (CONDUCTOR_BUS_KIND) names no adapter this conductor has: set one"
                + " of the values in the README's configuration table");
  }

  /** By default the HTTP API listens on loopback only: every listening socket on its port. */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void theHttpApiListensOnLoopbackOnlyByDefault() throws Exception {
    try (RunningConductor conductor = RunningConductor.start(Map.of())) {
      List<String> listening = listeningAddresses(conductor.url().getPort());
      assertThat(listening).isNotEmpty().allMatch(address -> address.equals("127.0.0.1"));
    }
  }

  private ConductorServer start(Map<String, Object> overrides, String home) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("conductor.home", temp.resolve(home).toString());
    properties.put("micronaut.server.port", -1);
    properties.put("conductor.bus.artemis.embedded-port", 0);
    properties.putAll(overrides);
    return ConductorServer.start(properties);
  }

  /** The local addresses of sockets listening on {@code port}, from the kernel's tables. */
  private static List<String> listeningAddresses(int port) throws Exception {
    List<String> addresses = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        String[] local = fields[1].split(":");
        boolean listen = fields[3].equals("0A");
        if (listen && Integer.parseInt(local[1], 16) == port) {
          addresses.add(address(local[0]));
        }
      }
    }
    return addresses;
  }

  /** /proc/net/tcp writes addresses as hex words in host (little-endian) byte order. */
  private static String address(String hex) throws Exception {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        bytes[word * 4 + i] =
            (byte)
                Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (4 - i) * 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes).getHostAddress();
  }

  private static Resource storedDatabase(RunningConductor conductor, String tenant)
      throws Exception {
    UUID id;
    try (Connection c = conductor.superuserConnection();
        PreparedStatement query = c.prepareStatement("SELECT id FROM tenants WHERE name = ?")) {
      query.setString(1, tenant);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        id = row.getObject(1, UUID.class);
      }
    }
    return conductor
        .server()
        .context()
        .getBean(TenantResources.class)
        .resource(id, TenantResources.DATABASE)
        .orElseThrow();
  }

  /** Connects as the tenant's app would, with what was stored for it. */
  private static void assertConnects(Resource database) throws Exception {
    Map<String, String> ids = database.identifiers();
    Properties properties = new Properties();
    properties.setProperty("user", ids.get("role"));
    properties.setProperty("password", database.secrets().get("password"));
    properties.setProperty("connectTimeout", "10");
    String url =
        "jdbc:postgresql://" + ids.get("host") + ":" + ids.get("port") + "/" + ids.get("database");
    try (Connection c = DriverManager.getConnection(url, properties);
        ResultSet row = c.createStatement().executeQuery("SELECT current_user")) {
      row.next();
      assertThat(row.getString(1)).isEqualTo(ids.get("role"));
    }
  }
}
