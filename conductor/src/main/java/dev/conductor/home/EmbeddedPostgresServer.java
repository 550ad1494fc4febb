package dev.conductor.home;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: a real PostgreSQL (zonky's bundled binaries, unpacked into the
 * conductor home) whose data lives in the home, so state survives restarts. It is durable (fsync
 * and synchronous commit on), asks every role for its password from initdb on, listens on loopback
 * only, and keeps the port it got on first start, since tenants were told that port.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String SUPERUSER = "postgres";
  public static final String DATABASE = "conductor";
  public static final String PORT_SETTING =
      "conductor.database.embedded-port (CONDUCTOR_DATABASE_EMBEDDED_PORT)";
  static final String PORT_FILE = "postgres-port";
  private static final List<String> HBA_RULES =
      List.of(
          "# Written by conductor: every role authenticates with its password.",
          "local all all scram-sha-256",
          "host all all 127.0.0.1/32 scram-sha-256",
          "host all all ::1/128 scram-sha-256");
  private static final int STARTUP_WAIT_SECONDS = 60;
  private static final Pattern LAST_PORT = Pattern.compile("\"-p\" \"(\\d+)\"");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path binaries;
  private final Path dataDirectory;
  private final int port;
  private final String password;

  private EmbeddedPostgresServer(Path binaries, Path dataDirectory, int port, String password) {
    this.binaries = binaries;
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.password = password;
  }

  /**
   * Starts PostgreSQL on {@code <home>/postgres}.
   *
   * @param configuredPort 0: the port this home was first given (a free one on a fresh home)
   */
  public static EmbeddedPostgresServer start(
      ConductorHome home, int configuredPort, String superuserPassword) {
    Path dataDirectory = home.resolve("postgres");
    stopOrphanedPostmaster(dataDirectory);
    int port = port(home, configuredPort);
    Path binaries = PostgresBinaries.unpack(home.root());
    EmbeddedPostgresServer server =
        new EmbeddedPostgresServer(binaries, dataDirectory, port, superuserPassword);
    try {
      if (!Files.exists(dataDirectory.resolve("postgresql.conf"))) {
        server.initdb(home);
      }
      server.startPostmaster(home.resolve("postgres.log"));
      home.writeSecret(PORT_FILE, Integer.toString(port));
      server.secure();
      server.createConductorDatabase();
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info("embedded postgres started port={} data={}", port, dataDirectory);
    return server;
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }

  public String password() {
    return password;
  }

  /** The configured port, else the one recorded in the home, else a free one; refused if taken. */
  private static int port(ConductorHome home, int configuredPort) {
    int port = configuredPort;
    Path recorded = home.resolve(PORT_FILE);
    if (port == 0 && Files.exists(recorded)) {
      try {
        port = Integer.parseInt(Files.readString(recorded, StandardCharsets.UTF_8).trim());
      } catch (IOException | NumberFormatException e) {
        throw new InvalidSettingException(
            "cannot read the embedded PostgreSQL port from " + recorded + ": set " + PORT_SETTING);
      }
    }
    if (port == 0) {
      port = lastStartedPort(home.resolve("postgres"));
    }
    if (port == 0) {
      return freePort();
    }
    if (!LocalPorts.isFree("localhost", port)) {
      throw new InvalidSettingException(
          "embedded PostgreSQL port "
              + port
              + " is in use by another program"
              + (configuredPort == 0 ? " (this home's tenants were given it)" : "")
              + ": stop that program or set "
              + PORT_SETTING);
    }
    return port;
  }

  /**
   * Homes made before the port was recorded: the port of the last start, from the options
   * PostgreSQL keeps in {@code postmaster.opts} ({@code ... "-p" "38375" ...}); 0 if none.
   */
  private static int lastStartedPort(Path dataDirectory) {
    try {
      Matcher port = LAST_PORT.matcher(Files.readString(dataDirectory.resolve("postmaster.opts")));
      return port.find() ? Integer.parseInt(port.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * A free port below the kernel's ephemeral range (32768 and up on Linux), where outgoing
   * connections take their local ports and could hold this one on a later start.
   */
  private static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20_000 + RANDOM.nextInt(12_000);
      if (LocalPorts.isFree("localhost", port)) {
        return port;
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for embedded PostgreSQL", e);
    }
  }

  /** The superuser has its password from the first moment: there is no window of trust. */
  private void initdb(ConductorHome home) throws IOException {
    Path passwordFile = Files.createTempFile(home.root(), "initdb", ".tmp");
    try {
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
      run(
          List.of(
              bin("initdb"),
              "--auth=scram-sha-256",
              "--pwfile=" + passwordFile,
              "-U",
              SUPERUSER,
              "-E",
              "UTF-8",
              "-D",
              dataDirectory.toString()),
          "initdb");
      Files.write(dataDirectory.resolve("pg_hba.conf"), HBA_RULES);
    } finally {
      Files.deleteIfExists(passwordFile);
    }
  }

  private void startPostmaster(Path log) {
    List<String> options =
        List.of(
            "-p " + port,
            "-c listen_addresses=localhost",
            // TCP only: no socket file in a shared /tmp.
            "-c unix_socket_directories=''",
            "-c max_connections=200",
            "-c timezone=UTC",
            // Durable: a 202 is only answered for what has reached the disk.
            "-c fsync=on",
            "-c synchronous_commit=on");
    run(
        List.of(
            bin("pg_ctl"),
            "-D",
            dataDirectory.toString(),
            "-l",
            log.toString(),
            "-o",
            String.join(" ", options),
            "-w",
            "-t",
            Integer.toString(STARTUP_WAIT_SECONDS),
            "start"),
        "pg_ctl start (log: " + log + ")");
  }

  /**
   * Homes made by versions that ran initdb with trust get the superuser password and password rules
   * here; on any other home the rules are already in place.
   */
  private void secure() throws IOException {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    if (Files.readAllLines(hba).equals(HBA_RULES)) {
      return;
    }
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      try (PreparedStatement p =
          c.prepareStatement("SELECT format('ALTER ROLE postgres PASSWORD %L', ?)")) {
        p.setString(1, password);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          s.execute(rs.getString(1));
        }
      }
      Files.write(hba, HBA_RULES);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot secure embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  private void createConductorDatabase() {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE " + DATABASE);
      // Tenant roles must never reach the conductor's state.
      s.execute("REVOKE CONNECT ON DATABASE " + DATABASE + " FROM PUBLIC");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the conductor database: " + e.getMessage(), e);
    }
  }

  private Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  private String bin(String program) {
    return binaries.resolve("bin").resolve(program).toString();
  }

  /**
   * Runs a PostgreSQL program to its end; its output goes to our log, and its last lines into the
   * error if it fails. PostgreSQL refuses to run as root, so root runs it in a user namespace.
   */
  private static void run(List<String> program, String what) {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(program);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Deque<String> last = new ArrayDeque<>();
      try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
        lines
            .lines()
            .forEach(
                line -> {
                  LOG.debug("{}: {}", what, line);
                  last.addLast(line);
                  if (last.size() > 3) {
                    last.removeFirst();
                  }
                });
      }
      if (!process.waitFor(STARTUP_WAIT_SECONDS + 30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            what
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + String.join(" / ", last));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    }
  }

  /**
   * A conductor killed with SIGKILL leaves its postmaster running; we hold the home lock, so any
   * postmaster on this data directory is ours to stop before starting a fresh one.
   */
  private static void stopOrphanedPostmaster(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      ProcessHandle.of(pid)
          .ifPresent(
              process -> {
                LOG.warn("stopping orphaned embedded postgres pid={}", pid);
                process.destroy();
                process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
              });
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not check stale postmaster.pid", e);
    }
  }

  @Override
  public void close() {
    if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
      return;
    }
    try {
      run(
          List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "-m", "fast", "-w", "stop"),
          "pg_ctl stop");
    } catch (RuntimeException e) {
      LOG.warn("embedded postgres did not stop cleanly", e);
    }
  }
}
