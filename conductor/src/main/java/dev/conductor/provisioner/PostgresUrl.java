package dev.conductor.provisioner;

import java.sql.DriverManager;
import java.util.Properties;

/** The parts of a PostgreSQL JDBC URL the local adapter needs, read by the driver's own parser. */
record PostgresUrl(String host, int port, String database) {

  static PostgresUrl parse(String url) {
    Properties parsed = org.postgresql.Driver.parseURL(url, new Properties());
    if (parsed == null) {
      throw new IllegalStateException("not a PostgreSQL JDBC URL: " + url.replaceAll("\\?.*", ""));
    }
    return new PostgresUrl(
        parsed.getProperty("PGHOST", "localhost").split(",")[0],
        Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]),
        parsed.getProperty("PGDBNAME"));
  }

  static {
    // Makes sure the driver is registered before parseURL is used in shaded jars.
    DriverManager.getDrivers();
  }
}
