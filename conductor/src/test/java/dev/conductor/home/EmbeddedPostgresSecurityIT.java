package dev.conductor.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.testing.RunningConductor;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL as a local attacker and a power cut see it: durable commits, no moment
 * without a password, and only binaries from the conductor's own home.
 */
class EmbeddedPostgresSecurityIT {
  @TempDir Path temp;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void commitsReachTheDiskBeforeTheyAreAcknowledged() throws SQLException {
    try (RunningConductor conductor = RunningConductor.start(Map.of());
        Connection c = conductor.superuserConnection()) {
      assertThat(show(c, "fsync")).isEqualTo("on");
      assertThat(show(c, "synchronous_commit")).isEqualTo("on");
    }
  }

  /** What a local user watching for the port did: log in as postgres before scram was on. */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void noPasswordlessLoginFromTheFirstMomentOfAFreshHome() throws Exception {
    Path home = temp.resolve("fresh");
    AtomicBoolean starting = new AtomicBoolean(true);
    AtomicReference<String> intruder = new AtomicReference<>();
    Thread watcher =
        new Thread(
            () -> {
              while (starting.get() && intruder.get() == null) {
                portOf(home)
                    .ifPresent(
                        port -> {
                          try (Connection c = passwordless(port)) {
                            intruder.set("logged in without a password on port " + port);
                          } catch (SQLException refused) {
                            // What must happen.
                          }
                        });
                Thread.onSpinWait();
              }
            });
    watcher.start();
    try (RunningConductor conductor =
        RunningConductor.start(Map.of("conductor.home", home.toString()))) {
      starting.set(false);
      watcher.join();
      assertThat(intruder.get()).isNull();
      int port = portOf(home).orElseThrow();
      assertThatThrownBy(() -> passwordless(port).close()).isInstanceOf(SQLException.class);
      assertThat(Files.readString(home.resolve("postgres/pg_hba.conf")))
          .doesNotContain("trust")
          .contains("scram-sha-256");
    } finally {
      starting.set(false);
      RunningConductor.deleteRecursively(home);
    }
  }

  /** Homes made by earlier versions were initialised with trust; they get passwords at start. */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aHomeInitialisedWithTrustByAnEarlierVersionIsSecuredAtStart() throws Exception {
    Path home = temp.resolve("earlier");
    Files.createDirectories(home);
    Path initdb = PostgresBinaries.unpack(home).resolve("bin/initdb");
    List<String> command = new java.util.ArrayList<>();
    if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(
        List.of(initdb.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8", "-D"));
    command.add(home.resolve("postgres").toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(process.waitFor()).isZero();
    assertThat(Files.readString(home.resolve("postgres/pg_hba.conf"))).contains("trust");

    try (RunningConductor conductor =
        RunningConductor.start(Map.of("conductor.home", home.toString()))) {
      int port = portOf(home).orElseThrow();
      assertThatThrownBy(() -> passwordless(port).close()).isInstanceOf(SQLException.class);
      assertThat(Files.readString(home.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
      conductor.onboard("upgraded", "dev");
    }
  }

  /**
   * Another local user plants binaries in zonky's shared cache (world-writable, reused when marked
   * unpacked); the conductor must not run them.
   */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void binariesPlantedInTheSharedCacheAreNeverRun() throws Exception {
    Path shared = temp.resolve("embedded-pg");
    Path planted = shared.resolve("PG-" + zonkyDigest());
    Path ran = temp.resolve("planted-binary-ran");
    Files.createDirectories(planted.resolve("bin"));
    for (String program : List.of("initdb", "pg_ctl", "postgres")) {
      Path script = planted.resolve("bin").resolve(program);
      Files.writeString(script, "#!/bin/sh\necho \"$0\" >> " + ran + "\nexit 1\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    Thread.sleep(200);
    Files.createFile(planted.resolve(".exists"));
    String before = System.getProperty("ot.epg.working-dir");
    System.setProperty("ot.epg.working-dir", shared.toString());
    try (RunningConductor conductor = RunningConductor.start(Map.of())) {
      assertThat(ran).doesNotExist();
      long postmaster = portAndPid(conductor.server().home()).pid();
      String command = ProcessHandle.of(postmaster).orElseThrow().info().command().orElseThrow();
      assertThat(Path.of(command).toRealPath()).startsWith(conductor.server().home().toRealPath());
    } finally {
      if (before == null) {
        System.clearProperty("ot.epg.working-dir");
      } else {
        System.setProperty("ot.epg.working-dir", before);
      }
      assertThat(ran).doesNotExist();
    }
  }

  private record Postmaster(long pid, int port) {}

  private static Postmaster portAndPid(Path home) throws Exception {
    List<String> lines = Files.readAllLines(home.resolve("postgres/postmaster.pid"));
    return new Postmaster(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3)));
  }

  private static java.util.Optional<Integer> portOf(Path home) {
    try {
      List<String> lines = Files.readAllLines(home.resolve("postgres/postmaster.pid"));
      return lines.size() >= 4 && !lines.get(3).isBlank()
          ? java.util.Optional.of(Integer.parseInt(lines.get(3).trim()))
          : java.util.Optional.empty();
    } catch (Exception notYet) {
      return java.util.Optional.empty();
    }
  }

  private static Connection passwordless(int port) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("connectTimeout", "2");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (ResultSet row = c.createStatement().executeQuery("SHOW " + setting)) {
      row.next();
      return row.getString(1);
    }
  }

  /** The folder name zonky gives the bundled binaries: the MD5 of the archive. */
  private static String zonkyDigest() throws Exception {
    String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : "aarch64";
    try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch)) {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(archive.readAllBytes());
      return HexFormat.of().formatHex(md5);
    }
  }
}
