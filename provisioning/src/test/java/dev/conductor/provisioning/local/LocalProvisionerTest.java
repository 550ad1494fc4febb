package dev.conductor.provisioning.local;

import static dev.conductor.provisioning.local.PasswordCheckingPostgres.SUPERUSER;
import static dev.conductor.provisioning.local.PasswordCheckingPostgres.SUPERUSER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.conductor.messaging.BusException;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.Inbox;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.Source;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.ProvisionerContract;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.provisioning.RecordingProgress;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceDiff;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProvisionerTest extends ProvisionerContract {
  private static final String CONDUCTOR_DATABASE = "conductor";
  private static final String BUS_USER = "conductor";
  private static final String BUS_PASSWORD = "bus-secret-for-tests";
  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final String INVALID_PASSWORD = "28P01";

  private static PasswordCheckingPostgres postgres;
  private static EmbeddedArtemis artemis;
  private static MessageBus bus;
  private static LocalProvisionerSettings settings;

  @BeforeAll
  static void startEngines(@TempDir Path directory) throws Exception {
    postgres = PasswordCheckingPostgres.start(directory.resolve("postgres"));
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + CONDUCTOR_DATABASE);
    }
    artemis =
        EmbeddedArtemis.start(
            new EmbeddedArtemis.Settings(
                directory.resolve("artemis"), "127.0.0.1", 0, false, BUS_USER, BUS_PASSWORD));
    bus = ArtemisMessageBus.connect(artemis.url(), BUS_USER, BUS_PASSWORD);
    settings = settings(SUPERUSER, SUPERUSER_PASSWORD, Set.of(CONDUCTOR_DATABASE, "postgres"));
  }

  @AfterAll
  static void stopEngines() throws IOException {
    if (bus != null) {
      bus.close();
    }
    if (artemis != null) {
      artemis.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected Provisioner createProvisioner() {
    return new LocalProvisioner(settings, bus);
  }

  @Override
  protected Set<Kind> materialisedKinds() {
    return Set.of(Kind.DATABASE, Kind.QUEUE);
  }

  @Override
  protected boolean exists(TenantSpec tenant, Kind kind) {
    ResourceNames names = tenant.names();
    return switch (kind) {
      case DATABASE -> allOrNone(kind, databases(names.database()) == 1, roleExists(names));
      case QUEUE ->
          allOrNone(kind, bus.topicExists(names.jobTopic()), bus.queueExists(names.controlQueue()));
      case APP, CONTAINER -> throw new IllegalArgumentException(kind + " is not materialised");
    };
  }

  @Override
  protected String removeOneResourceOutOfBand(TenantSpec tenant) {
    String database = tenant.names().database();
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return database;
  }

  @Test
  void refreshNamesEachDriftAndProvisionPutsEverythingBack() throws SQLException {
    TenantSpec tenant = newTenant();
    ResourceNames names = tenant.names();
    provisioner.provision(tenant, ProgressListener.NONE);
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("ALTER ROLE " + names.role() + " CREATEDB");
      statement.execute("GRANT CONNECT ON DATABASE " + names.database() + " TO PUBLIC");
      statement.execute("GRANT CONNECT ON DATABASE " + CONDUCTOR_DATABASE + " TO PUBLIC");
      statement.execute("ALTER DATABASE " + names.database() + " OWNER TO " + SUPERUSER);
    }
    bus.deleteQueue(names.controlQueue());
    RecordingProgress progress = new RecordingProgress();

    ResourceDiff drift = provisioner.refresh(tenant, progress);

    assertThat(drift.changes())
        .containsExactlyInAnyOrder(
            "role "
                + names.role()
                + ": attributes changed (superuser, createdb, createrole, replication,"
                + " bypassrls or no login)",
            "database " + names.database() + ": owned by postgres instead of " + names.role(),
            "database " + names.database() + ": connect granted to public",
            "protected database " + CONDUCTOR_DATABASE + ": connect granted to public",
            "queue " + names.controlQueue() + ": missing");
    assertThat(progress.events())
        .contains("INFO topic " + names.jobTopic() + ": in sync")
        .anyMatch(event -> event.startsWith("INFO worker principal " + names.workerPrincipal()));
    assertThat(provisioner.preview(tenant, ProgressListener.NONE).changes())
        .contains(
            "queue " + names.controlQueue() + ": create (missing)",
            "database "
                + names.database()
                + ": revoke connect from public (connect granted to"
                + " public)");

    provisioner.provision(tenant, ProgressListener.NONE);

    assertThat(provisioner.refresh(tenant, ProgressListener.NONE).changes()).isEmpty();
  }

  @Test
  void refreshOfANeverProvisionedTenantReportsEverythingMissing() {
    TenantSpec tenant = newTenant();
    ResourceNames names = tenant.names();

    ResourceDiff drift = provisioner.refresh(tenant, ProgressListener.NONE);

    assertThat(drift.changes())
        .containsExactly(
            "role " + names.role() + ": missing",
            "database " + names.database() + ": missing",
            "topic " + names.jobTopic() + ": missing",
            "queue " + names.controlQueue() + ": missing");
  }

  @Test
  void tenantRoleOwnsItsDatabaseAndCreatesTablesThere() throws SQLException {
    TenantSpec tenant = newTenant();

    Resource database = provisioner.provision(tenant, ProgressListener.NONE).database();

    try (Connection connection = connectAsTenant(database, database.identifiers().get("database"));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE jobs (id bigint PRIMARY KEY, payload text)");
      statement.execute("INSERT INTO jobs VALUES (1, 'hello')");
      try (ResultSet row = statement.executeQuery("SELECT payload FROM jobs WHERE id = 1")) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString(1)).isEqualTo("hello");
      }
      try (ResultSet row =
          statement.executeQuery(
              "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) {
        row.next();
        assertThat(row.getString(1)).isEqualTo(tenant.names().role());
      }
    }
  }

  @Test
  void tenantRoleHasNoServerWidePrivileges() throws SQLException {
    TenantSpec tenant = newTenant();

    provisioner.provision(tenant, ProgressListener.NONE);

    try (Connection admin = postgres.admin();
        PreparedStatement query =
            admin.prepareStatement(
                "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication,"
                    + " rolbypassrls FROM pg_roles WHERE rolname = ?")) {
      query.setString(1, tenant.names().role());
      try (ResultSet role = query.executeQuery()) {
        assertThat(role.next()).isTrue();
        assertThat(role.getBoolean("rolcanlogin")).isTrue();
        assertThat(role.getBoolean("rolsuper")).isFalse();
        assertThat(role.getBoolean("rolcreatedb")).isFalse();
        assertThat(role.getBoolean("rolcreaterole")).isFalse();
        assertThat(role.getBoolean("rolreplication")).isFalse();
        assertThat(role.getBoolean("rolbypassrls")).isFalse();
      }
    }
  }

  @Test
  void passwordIsFreshUrlSafeAndCheckedByTheServer() {
    TenantSpec tenant = newTenant();

    Resource database = provisioner.provision(tenant, ProgressListener.NONE).database();

    assertThat(database.secrets().get("password")).matches("[A-Za-z0-9_-]{24,}");
    SQLException rejected =
        refusal(
            () -> connect(database, database.identifiers().get("database"), "not-the-password"));
    assertThat(rejected.getSQLState()).isEqualTo(INVALID_PASSWORD);
  }

  @Test
  void reprovisioningResetsThePassword() throws SQLException {
    TenantSpec tenant = newTenant();
    Resource first = provisioner.provision(tenant, ProgressListener.NONE).database();

    Resource second = provisioner.provision(tenant, ProgressListener.NONE).database();

    String database = tenant.names().database();
    assertThat(second.secrets().get("password")).isNotEqualTo(first.secrets().get("password"));
    SQLException stale = refusal(() -> connectAsTenant(first, database));
    assertThat(stale.getSQLState()).isEqualTo(INVALID_PASSWORD);
    try (Connection connection = connectAsTenant(second, database)) {
      assertThat(connection.isValid(0)).isTrue();
    }
  }

  @Test
  void tenantCannotConnectToAnotherTenantsDatabase() {
    TenantSpec tenantA = newTenant();
    TenantSpec tenantB = newTenant();
    Resource databaseA = provisioner.provision(tenantA, ProgressListener.NONE).database();
    provisioner.provision(tenantB, ProgressListener.NONE);

    SQLException refused = refusal(() -> connectAsTenant(databaseA, tenantB.names().database()));
    assertThat(refused.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
    assertThat(refused.getMessage()).contains("permission denied for database");
  }

  @Test
  void tenantCannotConnectToProtectedDatabases() {
    TenantSpec tenant = newTenant();
    Resource database = provisioner.provision(tenant, ProgressListener.NONE).database();

    for (String protectedDatabase : Set.of(CONDUCTOR_DATABASE, "postgres")) {
      SQLException refused = refusal(() -> connectAsTenant(database, protectedDatabase));
      assertThat(refused.getSQLState()).as(protectedDatabase).isEqualTo(INSUFFICIENT_PRIVILEGE);
    }
  }

  @Test
  void protectsDatabasesWhateverTheirNameAndWarnsAboutMissingOnes() throws SQLException {
    String oddName = "conductor \"blue\"; drop";
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE \"conductor \"\"blue\"\"; drop\"");
    }
    LocalProvisioner local =
        new LocalProvisioner(
            settings(SUPERUSER, SUPERUSER_PASSWORD, Set.of(oddName, "missing_db")), bus);
    TenantSpec tenant = newTenant();
    RecordingProgress progress = new RecordingProgress();

    Resource database = local.provision(tenant, progress).database();

    assertThat(progress.events())
        .contains("WARN protected database missing_db: not found, skipped")
        .contains("INFO protected database " + oddName + ": connect revoked from public");
    assertThat(progress.steps())
        .extracting(step -> step.replaceAll(" \\d+ ms$", ""))
        .containsExactly(
            "database create ok", "queue create ok", "app create ok", "container create ok");
    SQLException refused = refusal(() -> connectAsTenant(database, oddName));
    assertThat(refused.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
  }

  @Test
  void deprovisionDropsRoleDatabaseTopicAndQueueAndEndsOpenSessions() throws SQLException {
    TenantSpec tenant = newTenant();
    ResourceNames names = tenant.names();
    Resource database = provisioner.provision(tenant, ProgressListener.NONE).database();
    RecordingProgress progress = new RecordingProgress();

    try (Connection session = connectAsTenant(database, names.database())) {
      provisioner.deprovision(tenant, progress);

      assertThat(session.isValid(0)).isFalse();
    }
    assertThat(databases(names.database())).isZero();
    assertThat(roleExists(names)).isFalse();
    assertThat(bus.topicExists(names.jobTopic())).isFalse();
    assertThat(bus.queueExists(names.controlQueue())).isFalse();
    assertThat(progress.events())
        .contains(
            "INFO worker principal " + names.workerPrincipal() + ": revoked",
            "INFO topic " + names.jobTopic() + ": deleted",
            "INFO queue " + names.controlQueue() + ": deleted",
            "INFO database " + names.database() + ": 1 connection(s) terminated",
            "INFO database " + names.database() + ": dropped",
            "INFO role " + names.role() + ": dropped");
    assertThat(progress.steps())
        .extracting(step -> step.replaceAll(" \\d+ ms$", ""))
        .containsExactly("queue delete ok", "database delete ok");
  }

  @Test
  void workerPrincipalReceivesJobsAndReportsButTouchesNothingElse() {
    TenantSpec tenant = newTenant();
    TenantSpec other = newTenant();
    ResourceNames names = tenant.names();
    Resource queue = provisioner.provision(tenant, ProgressListener.NONE).queue();
    provisioner.provision(other, ProgressListener.NONE);
    // The conductor creates each worker's filtered subscription when it starts the worker.
    bus.createSubscription(names.jobTopic(), "w1", CorrelationFilter.of("workerId", "w1"));
    Source jobs = Source.subscription(names.jobTopic(), "w1");

    try (MessageBus worker = connectAsWorker(queue)) {
      Inbox received = Inbox.recording();
      Inbox reports = Inbox.recording();
      try (Receiver listening = worker.receive(jobs, ReceiveOptions.ONE_AT_A_TIME, received);
          Receiver reading =
              bus.receive(
                  Source.queue(names.controlQueue()), ReceiveOptions.ONE_AT_A_TIME, reports)) {
        bus.send(names.jobTopic(), busMessage("job-1", Map.of("workerId", "w1")));
        worker.send(names.controlQueue(), busMessage("ready", Map.of()));

        assertThat(received.next().messageId()).isEqualTo("job-1");
        assertThat(reports.next().messageId()).isEqualTo("ready");
      }
      assertBusRefusal(() -> worker.send(names.jobTopic(), busMessage("forged", Map.of())));
      assertBusRefusal(
          () -> worker.send(other.names().controlQueue(), busMessage("spoofed", Map.of())));
      assertBusRefusal(
          () ->
              worker.receive(
                  Source.queue(names.controlQueue()),
                  ReceiveOptions.ONE_AT_A_TIME,
                  Inbox.recording()));
      assertBusRefusal(() -> worker.createQueue("tenant.rogue.queue", EntityOptions.DEFAULTS));
    }
  }

  @Test
  void reprovisioningRotatesTheWorkerPassword() {
    TenantSpec tenant = newTenant();
    Resource first = provisioner.provision(tenant, ProgressListener.NONE).queue();

    Resource second = provisioner.provision(tenant, ProgressListener.NONE).queue();

    assertThat(second.secrets().get("workerPassword"))
        .isNotEqualTo(first.secrets().get("workerPassword"))
        .matches("[A-Za-z0-9_-]{24,}");
    assertBusRefusal(() -> connectAsWorker(first).close());
    connectAsWorker(second).close();
  }

  @Test
  void deprovisionRevokesTheWorkerPrincipal() {
    TenantSpec tenant = newTenant();
    Resource queue = provisioner.provision(tenant, ProgressListener.NONE).queue();
    connectAsWorker(queue).close();
    RecordingProgress progress = new RecordingProgress();

    provisioner.deprovision(tenant, progress);

    assertBusRefusal(() -> connectAsWorker(queue).close());
    assertThat(progress.events())
        .contains("INFO worker principal " + tenant.names().workerPrincipal() + ": revoked");
  }

  @Test
  void aProtectedDatabaseWhoseGrantsChangeMeanwhileIsStillProtected() throws Exception {
    TenantSpec tenant = newTenant();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection other = postgres.admin();
        Statement statement = other.createStatement()) {
      // Another session (another replica's onboarding, an operator) holds the database's ACL row.
      other.setAutoCommit(false);
      statement.execute("GRANT CONNECT ON DATABASE " + CONDUCTOR_DATABASE + " TO PUBLIC");
      Future<?> provision = pool.submit(() -> provisioner.provision(tenant, ProgressListener.NONE));
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> waitingOnALock("REVOKE CONNECT ON DATABASE %" + CONDUCTOR_DATABASE));
      other.commit();

      provision.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    assertThat(publicMayConnect(CONDUCTOR_DATABASE)).isFalse();
    provisioner.deprovision(tenant, ProgressListener.NONE);
  }

  private static boolean waitingOnALock(String statementStart) throws SQLException {
    try (Connection admin = postgres.admin();
        PreparedStatement statement =
            admin.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
      statement.setString(1, statementStart + "%");
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1) > 0;
      }
    }
  }

  /** Whether PUBLIC holds CONNECT on the database (an ACL entry granted to no role: "=c..."). */
  private static boolean publicMayConnect(String database) throws SQLException {
    try (Connection admin = postgres.admin();
        PreparedStatement statement =
            admin.prepareStatement(
                "SELECT count(*) FROM pg_database, aclexplode(datacl) AS acl"
                    + " WHERE datname = ? AND acl.grantee = 0 AND acl.privilege_type = 'CONNECT'")) {
      statement.setString(1, database);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1) > 0;
      }
    }
  }

  @Test
  void provisionInterruptedAfterTheDatabaseStepConvergesOnReRun() throws SQLException {
    TenantSpec tenant = newTenant();
    ResourceNames names = tenant.names();
    new TenantDatabases(settings, new Passwords()).create(names, ProgressListener.NONE);
    assertThat(bus.topicExists(names.jobTopic())).isFalse();
    RecordingProgress progress = new RecordingProgress();

    Resource database = provisioner.provision(tenant, progress).database();

    assertThat(databases(names.database())).isEqualTo(1);
    assertThat(roles(names.role())).isEqualTo(1);
    assertThat(exists(tenant, Kind.QUEUE)).isTrue();
    assertThat(progress.events())
        .contains(
            "INFO role " + names.role() + ": already exists",
            "INFO database " + names.database() + ": already exists",
            "INFO topic " + names.jobTopic() + ": created");
    try (Connection connection = connectAsTenant(database, names.database())) {
      assertThat(connection.isValid(0)).isTrue();
    }
  }

  @Test
  void provisionFailingOnAClosedBusConvergesOnReRunWithAWorkingBus() {
    TenantSpec tenant = newTenant();
    ResourceNames names = tenant.names();
    MessageBus closed = ArtemisMessageBus.connect(artemis.url(), BUS_USER, BUS_PASSWORD);
    closed.close();
    LocalProvisioner broken = new LocalProvisioner(settings, closed);

    assertThatThrownBy(() -> broken.provision(tenant, ProgressListener.NONE))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageStartingWith("create topic " + names.jobTopic() + ": ");
    assertThat(databases(names.database())).isEqualTo(1);

    ProvisionedResources resources = provisioner.provision(tenant, ProgressListener.NONE);

    assertThat(databases(names.database())).isEqualTo(1);
    assertThat(roles(names.role())).isEqualTo(1);
    assertThat(exists(tenant, Kind.QUEUE)).isTrue();
    assertThat(resources.queue().identifiers()).containsEntry("jobTopic", names.jobTopic());
  }

  @Test
  void reprovisioningRestoresTamperedRoleAttributes() throws SQLException {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("ALTER ROLE " + tenant.names().role() + " CREATEDB");
    }
    RecordingProgress progress = new RecordingProgress();

    provisioner.provision(tenant, progress);

    assertThat(
            count(
                "SELECT count(*) FROM pg_roles WHERE rolcreatedb AND rolname = ?",
                tenant.names().role()))
        .isZero();
    assertThat(progress.events()).anyMatch(event -> event.startsWith("WARN role "));
  }

  @Test
  void replicationAndBypassRlsGivenByHandAreSeenAsDriftAndReset() throws SQLException {
    TenantSpec tenant = newTenant();
    String role = tenant.names().role();
    provisioner.provision(tenant, ProgressListener.NONE);
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("ALTER ROLE " + role + " REPLICATION BYPASSRLS");
    }

    assertThat(provisioner.refresh(tenant, ProgressListener.NONE).changes())
        .anyMatch(change -> change.startsWith("role " + role + ": attributes changed"));
    provisioner.provision(tenant, new RecordingProgress());

    assertThat(
            count(
                "SELECT count(*) FROM pg_roles WHERE (rolreplication OR rolbypassrls)"
                    + " AND rolname = ?",
                role))
        .isZero();
    assertThat(provisioner.refresh(tenant, ProgressListener.NONE).changes()).isEmpty();
  }

  @Test
  void secretsStayOutOfProgressAndErrors() throws SQLException {
    String password = "fixed-tenant-password-for-this-test";
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      // Enough to create and alter roles, not to create databases: fails after the password step.
      statement.execute("CREATE ROLE limited_admin LOGIN CREATEROLE PASSWORD 'limited-secret'");
      statement.execute("GRANT CONNECT ON DATABASE postgres TO limited_admin");
    }
    LocalProvisioner limited =
        new LocalProvisioner(
            settings("limited_admin", "limited-secret", Set.of()), bus, () -> password);
    TenantSpec tenant = newTenant();
    RecordingProgress progress = new RecordingProgress();

    ProvisioningException failure = provisioningFailure(() -> limited.provision(tenant, progress));

    assertThat(failure)
        .hasMessageStartingWith("create database " + tenant.names().database() + ": ")
        .hasMessageContaining("permission denied");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(progress.mentions("role " + tenant.names().role() + ": password set")).isTrue();
    assertThat(progress.steps()).singleElement().asString().startsWith("database create failed ");
    assertNoSecretIn(failure, password, "limited-secret");
    assertThat(progress.events())
        .noneMatch(event -> event.contains(password) || event.contains("limited-secret"));
  }

  @Test
  void wrongAdminPasswordIsNotRetryableAndNotEchoed() {
    String wrong = "wrong-admin-password";
    LocalProvisioner misconfigured =
        new LocalProvisioner(settings(SUPERUSER, wrong, Set.of()), bus);

    ProvisioningException failure =
        provisioningFailure(() -> misconfigured.provision(newTenant(), ProgressListener.NONE));

    assertThat(failure).hasMessageStartingWith("connect to database server as postgres: ");
    assertThat(failure.isRetryable()).isFalse();
    assertNoSecretIn(failure, wrong);
  }

  @Test
  void unreachableDatabaseServerIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LocalProvisionerSettings unreachable =
        new LocalProvisionerSettings(
            "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres",
            SUPERUSER,
            SUPERUSER_PASSWORD,
            "localhost",
            closedPort,
            Set.of());

    ProvisioningException failure =
        provisioningFailure(
            () ->
                new LocalProvisioner(unreachable, bus)
                    .provision(newTenant(), ProgressListener.NONE));

    assertThat(failure.isRetryable()).isTrue();
    assertThat(failure).hasMessageStartingWith("connect to database server as postgres: ");
    assertNoSecretIn(failure, SUPERUSER_PASSWORD);
  }

  @Test
  void settingsNeverPrintTheAdminPassword() {
    assertThat(settings.toString())
        .doesNotContain(SUPERUSER_PASSWORD)
        .contains("adminUser=postgres");
  }

  private static LocalProvisionerSettings settings(
      String adminUser, String adminPassword, Set<String> protectedDatabases) {
    return new LocalProvisionerSettings(
        postgres.jdbcUrl("postgres"),
        adminUser,
        adminPassword,
        "localhost",
        postgres.port(),
        protectedDatabases);
  }

  private static Connection connectAsTenant(Resource database, String databaseName)
      throws SQLException {
    return connect(database, databaseName, database.secrets().get("password"));
  }

  private static Connection connect(Resource database, String databaseName, String password)
      throws SQLException {
    Map<String, String> id = database.identifiers();
    Properties properties = new Properties();
    properties.setProperty("user", id.get("role"));
    properties.setProperty("password", password);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + id.get("host") + ":" + id.get("port") + "/" + databaseName,
        properties);
  }

  private static MessageBus connectAsWorker(Resource queue) {
    return ArtemisMessageBus.connect(
        artemis.url(),
        queue.identifiers().get("workerUser"),
        queue.secrets().get("workerPassword"));
  }

  private static OutgoingMessage busMessage(String id, Map<String, String> properties) {
    return new OutgoingMessage(id, properties, id.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertBusRefusal(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(BusException.class)
        .satisfies(e -> assertThat(((BusException) e).isTransient()).isFalse());
  }

  private static boolean roleExists(ResourceNames names) {
    return roles(names.role()) == 1;
  }

  private static int databases(String name) {
    return count("SELECT count(*) FROM pg_database WHERE datname = ?", name);
  }

  private static int roles(String name) {
    return count("SELECT count(*) FROM pg_roles WHERE rolname = ?", name);
  }

  private static int count(String sql, String name) {
    try (Connection admin = postgres.admin();
        PreparedStatement query = admin.prepareStatement(sql)) {
      query.setString(1, name);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ProvisioningException provisioningFailure(ThrowingCallable provision) {
    ProvisioningException failure = catchThrowableOfType(ProvisioningException.class, provision);
    assertThat(failure).as("provisioning failed").isNotNull();
    return failure;
  }

  /** The error of a connection attempt that must fail. */
  private static SQLException refusal(ThrowingCallable connect) {
    SQLException refused = catchThrowableOfType(SQLException.class, connect);
    assertThat((Throwable) refused).as("connection refused").isNotNull();
    return refused;
  }

  private static void assertNoSecretIn(Throwable failure, String... secrets) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      for (String secret : secrets) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        assertThat(t.toString()).doesNotContain(secret);
      }
    }
  }
}
