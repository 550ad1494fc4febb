package dev.conductor.provisioning.local;

import dev.conductor.messaging.time.Backoff;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisioningCancelledException;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceNames;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.postgresql.PGConnection;

/**
 * A tenant's PostgreSQL login role and the database it owns, on the server of the settings. Each
 * step checks the catalog first, so a re-run after a crash converges.
 */
public final class TenantDatabases {
  private static final String DUPLICATE_OBJECT = "42710";
  private static final String DUPLICATE_DATABASE = "42P04";
  private static final int FORCE_DROP_SINCE = 13;

  private final LocalProvisionerSettings settings;
  private final Supplier<String> passwords;

  private static final int GRANT_ATTEMPTS = 5;
  private static final Backoff GRANT_RETRY =
      new Backoff(Duration.ofMillis(20), Duration.ofMillis(500));

  public TenantDatabases(LocalProvisionerSettings settings, Supplier<String> passwords) {
    this.settings = settings;
    this.passwords = passwords;
  }

  public Resource create(ResourceNames names, ProgressListener progress) {
    try (Connection admin = connect()) {
      String password = passwords.get();
      Cancellation.checkpoint("creating role " + names.role());
      createRole(admin, names.role(), progress);
      Cancellation.checkpoint("setting the password of role " + names.role());
      setPassword(admin, names.role(), password, progress);
      Cancellation.checkpoint("creating database " + names.database());
      createDatabase(admin, names.database(), names.role(), progress);
      Cancellation.checkpoint("restricting connect on database " + names.database());
      restrictConnect(admin, names.database(), names.role(), progress);
      for (String database : new TreeSet<>(settings.protectedDatabases())) {
        Cancellation.checkpoint("protecting database " + database);
        protect(admin, database, progress);
      }
      return new Resource(
          Map.of(
              "host", settings.tenantHost(),
              "port", Integer.toString(settings.tenantPort()),
              "database", names.database(),
              "role", names.role()),
          Map.of("password", password));
    } catch (SQLException e) {
      throw StepFailure.of("close connection to database server", e);
    }
  }

  public void drop(ResourceNames names, ProgressListener progress) {
    try (Connection admin = connect()) {
      Cancellation.checkpoint("dropping database " + names.database());
      dropDatabase(admin, names.database(), progress);
      Cancellation.checkpoint("dropping role " + names.role());
      dropRole(admin, names.role(), progress);
    } catch (SQLException e) {
      throw StepFailure.of("close connection to database server", e);
    }
  }

  /** Compares the role, the database and who may connect with what {@link #create} makes. */
  void inspect(ResourceNames names, Inspection inspection) {
    try (Connection admin = connect()) {
      Cancellation.checkpoint("inspecting role " + names.role());
      boolean roleExists = inspectRole(admin, names.role(), inspection);
      Cancellation.checkpoint("inspecting database " + names.database());
      inspectDatabase(admin, names.database(), names.role(), roleExists, inspection);
      for (String database : new TreeSet<>(settings.protectedDatabases())) {
        Cancellation.checkpoint("inspecting protected database " + database);
        inspectProtected(admin, database, inspection);
      }
    } catch (SQLException e) {
      throw StepFailure.of("close connection to database server", e);
    }
  }

  /**
   * Connects with the stored host, port, role and password, as the tenant's apps do. A missing role
   * or database is reported by {@link #inspect} already, so it is not checked again here.
   */
  void inspectAccess(ResourceNames names, Resource stored, Inspection inspection) {
    if (!databaseExists(names.database()) || !roleExists(names.role())) {
      return;
    }
    Map<String, String> ids = stored.identifiers();
    String host = ids.getOrDefault("host", "");
    String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + ids.get("port");
    String resource = "database " + ids.get("database") + " for apps at " + address;
    Properties properties = new Properties();
    properties.setProperty("user", ids.getOrDefault("role", ""));
    properties.setProperty("password", stored.secrets().getOrDefault("password", ""));
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("socketTimeout", "10");
    String url = "jdbc:postgresql://" + address + "/" + ids.get("database");
    try (Connection app = DriverManager.getConnection(url, properties)) {
      inspection.matches(resource);
    } catch (SQLException e) {
      // The driver's message names host and port, never the password.
      inspection.differs(
          resource,
          ids.get("role") + " cannot connect with the stored credentials: " + e.getMessage(),
          "provision again to store where and how the database is reached");
    }
  }

  boolean databaseExists(String database) {
    try (Connection admin = connect()) {
      return databaseExists(admin, database);
    } catch (SQLException e) {
      throw StepFailure.of("look up database " + database, e);
    }
  }

  boolean roleExists(String role) {
    try (Connection admin = connect()) {
      return roleExists(admin, role);
    } catch (SQLException e) {
      throw StepFailure.of("look up role " + role, e);
    }
  }

  private Connection connect() {
    Properties properties = new Properties();
    properties.setProperty("user", settings.adminUser());
    properties.setProperty("password", settings.adminPassword());
    try {
      Connection connection = DriverManager.getConnection(settings.adminJdbcUrl(), properties);
      // CREATE DATABASE and DROP DATABASE refuse to run inside a transaction block.
      connection.setAutoCommit(true);
      return connection;
    } catch (SQLException e) {
      throw StepFailure.of("connect to database server as " + settings.adminUser(), e);
    }
  }

  private void createRole(Connection admin, String role, ProgressListener progress) {
    String step = "create role " + role;
    try {
      if (!roleExists(admin, role)) {
        try {
          execute(
              admin,
              "CREATE ROLE "
                  + quote(admin, role)
                  + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
          progress.info("role " + role + ": created");
          return;
        } catch (SQLException e) {
          if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
            throw e;
          }
        }
      }
      progress.info("role " + role + ": already exists");
      if (!hasTenantAttributes(admin, role)) {
        step = "reset attributes of role " + role;
        execute(
            admin,
            "ALTER ROLE "
                + quote(admin, role)
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
        progress.warn(
            "role "
                + role
                + ": attributes reset to LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                + " NOBYPASSRLS");
      }
    } catch (SQLException e) {
      throw StepFailure.of(step, e);
    }
  }

  private static boolean hasTenantAttributes(Connection admin, String role) throws SQLException {
    try (PreparedStatement query =
        admin.prepareStatement(
            "SELECT rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole"
                + " OR rolreplication OR rolbypassrls)"
                + " FROM pg_roles WHERE rolname = ?")) {
      query.setString(1, role);
      try (ResultSet row = query.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  /**
   * The driver hashes the password client-side (SCRAM or MD5, as the server is configured), so the
   * clear text never reaches the server's statement log.
   */
  private static void setPassword(
      Connection admin, String role, String password, ProgressListener progress) {
    char[] clear = password.toCharArray();
    try {
      admin.unwrap(PGConnection.class).alterUserPassword(role, clear, null);
      progress.info("role " + role + ": password set");
    } catch (SQLException e) {
      throw StepFailure.of("set password of role " + role, e);
    } finally {
      Arrays.fill(clear, '\0');
    }
  }

  private void createDatabase(
      Connection admin, String database, String owner, ProgressListener progress) {
    String step = "create database " + database;
    try {
      if (!databaseExists(admin, database)) {
        try {
          execute(
              admin, "CREATE DATABASE " + quote(admin, database) + " OWNER " + quote(admin, owner));
          progress.info("database " + database + ": created");
          return;
        } catch (SQLException e) {
          if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
            throw e;
          }
        }
      }
      step = "set owner of database " + database;
      execute(
          admin, "ALTER DATABASE " + quote(admin, database) + " OWNER TO " + quote(admin, owner));
      progress.info("database " + database + ": already exists");
    } catch (SQLException e) {
      throw StepFailure.of(step, e);
    }
  }

  private static void restrictConnect(
      Connection admin, String database, String role, ProgressListener progress) {
    try {
      String db = quote(admin, database);
      grant(admin, "REVOKE CONNECT, TEMPORARY ON DATABASE " + db + " FROM PUBLIC");
      grant(admin, "GRANT CONNECT, TEMPORARY ON DATABASE " + db + " TO " + quote(admin, role));
      progress.info("database " + database + ": connect granted to " + role + " only");
    } catch (SQLException e) {
      throw StepFailure.of("restrict connect on database " + database, e);
    }
  }

  private static void protect(Connection admin, String database, ProgressListener progress) {
    try {
      if (!databaseExists(admin, database)) {
        progress.warn("protected database " + database + ": not found, skipped");
        return;
      }
      grant(admin, "REVOKE CONNECT ON DATABASE " + quote(admin, database) + " FROM PUBLIC");
      progress.info("protected database " + database + ": connect revoked from public");
    } catch (SQLException e) {
      throw StepFailure.of("protect database " + database, e);
    }
  }

  /** Returns whether the role exists. */
  private static boolean inspectRole(Connection admin, String role, Inspection inspection) {
    String resource = "role " + role;
    try {
      if (!roleExists(admin, role)) {
        inspection.differs(resource, "missing", "create");
        return false;
      }
      if (hasTenantAttributes(admin, role)) {
        inspection.matches(resource);
      } else {
        inspection.differs(
            resource,
            "attributes changed (superuser, createdb, createrole, replication, bypassrls or no"
                + " login)",
            "reset attributes to LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                + " NOBYPASSRLS");
      }
      return true;
    } catch (SQLException e) {
      throw StepFailure.of("inspect role " + role, e);
    }
  }

  /** Ownership and grants of a missing role are not checked: the role finding covers them. */
  private static void inspectDatabase(
      Connection admin, String database, String role, boolean roleExists, Inspection inspection) {
    String resource = "database " + database;
    try (PreparedStatement query =
        admin.prepareStatement(
            "SELECT pg_get_userbyid(datdba), has_database_privilege('public', datname, 'CONNECT')"
                + " FROM pg_database WHERE datname = ?")) {
      query.setString(1, database);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          inspection.differs(resource, "missing", "create, owned by " + role);
          return;
        }
        boolean inSync = true;
        String owner = row.getString(1);
        if (roleExists && !role.equals(owner)) {
          inspection.differs(
              resource, "owned by " + owner + " instead of " + role, "give ownership to " + role);
          inSync = false;
        }
        if (row.getBoolean(2)) {
          inspection.differs(resource, "connect granted to public", "revoke connect from public");
          inSync = false;
        }
        if (roleExists && !mayConnect(admin, role, database)) {
          inspection.differs(resource, role + " may not connect", "grant connect to " + role);
          inSync = false;
        }
        if (inSync) {
          inspection.matches(resource);
        }
      }
    } catch (SQLException e) {
      throw StepFailure.of("inspect database " + database, e);
    }
  }

  /** A missing protected database is a configuration matter, warned about by provision. */
  private static void inspectProtected(Connection admin, String database, Inspection inspection) {
    String resource = "protected database " + database;
    try {
      if (!databaseExists(admin, database)) {
        return;
      }
      if (mayConnect(admin, "public", database)) {
        inspection.differs(resource, "connect granted to public", "revoke connect from public");
      } else {
        inspection.matches(resource);
      }
    } catch (SQLException e) {
      throw StepFailure.of("inspect protected database " + database, e);
    }
  }

  private static boolean mayConnect(Connection admin, String role, String database)
      throws SQLException {
    try (PreparedStatement query =
        admin.prepareStatement("SELECT has_database_privilege(?, ?, 'CONNECT')")) {
      query.setString(1, role);
      query.setString(2, database);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }

  private static void dropDatabase(Connection admin, String database, ProgressListener progress) {
    try {
      if (!databaseExists(admin, database)) {
        progress.info("database " + database + ": not found");
        return;
      }
      int terminated = terminateConnections(admin, database);
      progress.info("database " + database + ": " + terminated + " connection(s) terminated");
      // FORCE also ends sessions that connected after the terminate above.
      String force =
          admin.getMetaData().getDatabaseMajorVersion() >= FORCE_DROP_SINCE ? " WITH (FORCE)" : "";
      execute(admin, "DROP DATABASE IF EXISTS " + quote(admin, database) + force);
      progress.info("database " + database + ": dropped");
    } catch (SQLException e) {
      throw StepFailure.of("drop database " + database, e);
    }
  }

  private static int terminateConnections(Connection admin, String database) throws SQLException {
    try (PreparedStatement terminate =
        admin.prepareStatement(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      terminate.setString(1, database);
      try (ResultSet row = terminate.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  private static void dropRole(Connection admin, String role, ProgressListener progress) {
    try {
      if (!roleExists(admin, role)) {
        progress.info("role " + role + ": not found");
        return;
      }
      execute(admin, "DROP ROLE IF EXISTS " + quote(admin, role));
      progress.info("role " + role + ": dropped");
    } catch (SQLException e) {
      throw StepFailure.of("drop role " + role, e);
    }
  }

  private static boolean databaseExists(Connection admin, String database) throws SQLException {
    return exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database);
  }

  private static boolean roleExists(Connection admin, String role) throws SQLException {
    return exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
  }

  private static boolean exists(Connection admin, String sql, String name) throws SQLException {
    try (PreparedStatement query = admin.prepareStatement(sql)) {
      query.setString(1, name);
      try (ResultSet row = query.executeQuery()) {
        return row.next();
      }
    }
  }

  /**
   * A GRANT or REVOKE, done again while another session's change of the same grants makes it fail
   * (every tenant's onboarding revokes connect on the protected databases, replicas at once).
   */
  private static void grant(Connection admin, String sql) throws SQLException {
    for (int failures = 1; ; failures++) {
      try {
        execute(admin, sql);
        return;
      } catch (SQLException e) {
        if (failures == GRANT_ATTEMPTS || !StepFailure.concurrentlyUpdated(e)) {
          throw e;
        }
      }
      try {
        Thread.sleep(GRANT_RETRY.after(failures).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProvisioningCancelledException("interrupted while changing grants");
      }
    }
  }

  private static void execute(Connection admin, String sql) throws SQLException {
    try (Statement statement = admin.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The driver's quoting, so even a protected database name from configuration is safe. */
  private static String quote(Connection admin, String identifier) throws SQLException {
    return admin.unwrap(PGConnection.class).escapeIdentifier(identifier);
  }
}
