package dev.conductor.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each build carries the PostgreSQL binaries of the platform it was built on, and only those. */
class PostgresBinariesTest {
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void findsTheBinariesOfThePlatformItWasBuiltOn() throws Exception {
    String os =
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "Darwin" : "Linux";
    try (InputStream archive = PostgresBinaries.bundled(os, System.getProperty("os.arch"))) {
      assertThat(archive.read()).isNotNegative();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aPlatformWithoutBinariesIsOneLineNamingTheWayOut() {
    assertThatThrownBy(() -> PostgresBinaries.bundled("Linux", "s390x"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "this conductor carries no PostgreSQL binaries for Linux s390x: use one built on this"
                + " platform, or set CONDUCTOR_DB_URL to an external PostgreSQL");
  }
}
