package dev.conductor.home;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another local user can read nothing in a conductor home: not the broker journal with every
 * tenant's payloads, not the database, secrets or worker logs. Homes made before are tightened.
 */
class ConductorHomePermissionsIT {
  private static final Set<PosixFilePermission> GROUP_AND_OTHERS =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  @TempDir Path temp;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aFreshHomeIsTheOwnersAloneWithJobsRun() throws IOException {
    Path home = temp.resolve("fresh");
    try (RunningConductor conductor =
        RunningConductor.start(Map.of("conductor.home", home.toString()))) {
      String key = conductor.onboard("private", "dev");
      String id = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"secret\":1}}");
      conductor.awaitJobEnded(key, id, Duration.ofSeconds(90));
      assertThat(home.resolve("workers")).isDirectory();
      assertThat(home.resolve("artemis")).isDirectory();
      assertOwnerOnly(home);
      conductor.offboard("private");
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aHomeMadeOpenByAnEarlierVersionIsTightenedAtStart() throws IOException {
    Path home = temp.resolve("old");
    Files.createDirectories(home.resolve("artemis/journal"));
    Files.createDirectories(home.resolve("workers"));
    Files.writeString(home.resolve("artemis/old-data.txt"), "tenant payloads");
    Files.writeString(home.resolve("workers/old-worker.log"), "job results");
    for (Path path :
        List.of(
            home,
            home.resolve("artemis"),
            home.resolve("artemis/journal"),
            home.resolve("workers"))) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    for (Path path :
        List.of(home.resolve("artemis/old-data.txt"), home.resolve("workers/old-worker.log"))) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    }
    try (RunningConductor conductor =
        RunningConductor.start(Map.of("conductor.home", home.toString()))) {
      assertThat(Files.getPosixFilePermissions(home))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(Files.getPosixFilePermissions(home.resolve("workers/old-worker.log")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertOwnerOnly(home);
    }
  }

  /** Root can hand a folder to another user, so only root can run this one here. */
  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void aHomeThatBelongsToAnotherUserIsRefusedNamingTheSetting() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root to chown a folder");
    Path home = Files.createDirectories(temp.resolve("theirs"));
    var nobody =
        home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(home, nobody);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConductorHome.open(home))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "conductor home "
                + home
                + " belongs to user nobody: set CONDUCTOR_HOME to a folder of your own");
    assertThat(home.resolve("conductor.lock")).doesNotExist();
  }

  private static void assertOwnerOnly(Path home) throws IOException {
    try (Stream<Path> paths = Files.walk(home)) {
      List<String> open =
          paths
              .filter(path -> !Files.isSymbolicLink(path))
              .filter(
                  path -> {
                    try {
                      Set<PosixFilePermission> permissions =
                          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                      return permissions.stream().anyMatch(GROUP_AND_OTHERS::contains);
                    } catch (IOException gone) {
                      return false;
                    }
                  })
              .map(path -> home.relativize(path) + " " + permissions(path))
              .toList();
      assertThat(open).as("paths others may use").isEmpty();
    }
  }

  private static String permissions(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException gone) {
      return "gone";
    }
  }
}
