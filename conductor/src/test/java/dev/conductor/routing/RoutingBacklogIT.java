package dev.conductor.routing;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.fleet.WorkerRepository;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.plan.Plans;
import dev.conductor.routing.RoutingSnapshot.Limits;
import dev.conductor.tenant.TenantRepository;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.transaction.TransactionOperations;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Routing with a large backlog on a real conductor: a pass reads only as many queued rows as it can
 * place (counted by a wrapper around the queue's reads, in a dispatcher built from the conductor's
 * own beans), and none when nothing can be placed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingBacklogIT {
  private static final int BACKLOG = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIMIT = Duration.ofSeconds(90);
  // Outlasts the test: the worker stays full until offboarding stops it.
  private static final String LONG_SLEEP = "{\"type\":\"sleep\",\"payload\":{\"ms\":600000}}";

  private RunningConductor conductor;
  private TransactionOperations<Connection> tx;

  @BeforeAll
  void start() {
    Map<String, Object> properties = FastTimers.properties();
    // One worker of four slots per tenant: four running jobs fill it.
    plan(properties, "narrow", 1);
    // Workers for several affinity keys: four per tenant, one per key, four slots each.
    plan(properties, "keys", 4);
    conductor = RunningConductor.start(properties);
    tx =
        conductor
            .server()
            .context()
            .getBean(Argument.of(TransactionOperations.class, Connection.class));
  }

  /** A plan of workers with four slots, one per affinity key. */
  private static void plan(Map<String, Object> properties, String name, int workersPerTenant) {
    String prefix = "conductor.plans." + name + ".";
    properties.put(prefix + "worker-capacity", 4);
    properties.put(prefix + "max-workers-per-key", 1);
    properties.put(prefix + "max-workers-per-tenant", workersPerTenant);
    properties.put(prefix + "idle-timeout", "5m");
    properties.put(prefix + "max-attempts", 3);
    properties.put(prefix + "job-timeout", "20m");
    properties.put(prefix + "max-payload-bytes", 1024);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void aPassReadsOnlyWhatItCanPlaceAndNothingWhenItCanPlaceNothing() throws SQLException {
    String key = conductor.onboard("backlog", "narrow");
    UUID tenantId = conductor.tenantId("backlog");
    List<String> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(conductor.submitJob(key, LONG_SLEEP));
    }
    for (String id : running) {
      await(() -> conductor.job(key, id), j -> "RUNNING".equals(status(j)), LIMIT);
    }
    insertQueued(tenantId, BACKLOG);

    CountingQueue counting = new CountingQueue(tx);
    dispatcher(counting).dispatch(tenantId);

    assertThat(counting.reads).as("the worker is full and no other may start").isEmpty();
    assertThat(countQueued(tenantId)).isEqualTo(BACKLOG);
    // What the head query reads for a given headroom, against the 5,000-job backlog.
    Placement pool = new Placement("", "");
    assertThat(head(counting, tenantId, new Router.Headroom(Map.of(pool, 3), 0))).hasSize(3);
    assertThat(head(counting, tenantId, new Router.Headroom(Map.of(), 5))).hasSize(5);
    assertThat(head(counting, tenantId, new Router.Headroom(Map.of(pool, 0), 7)))
        .as("a placement with workers is never read by the part for new placements")
        .isEmpty();
    assertThat(head(counting, tenantId, new Router.Headroom(Map.of(pool, 2), 0)))
        .extracting(Job::createdAt)
        .isSorted();
    // The cost of a pass does not grow with the backlog: PostgreSQL's own count of the rows the
    // head query touched, with 5,000 queued jobs behind the placement that has a worker.
    assertThat(rowsTouched(tenantId, new Router.Headroom(Map.of(pool, 0), 7)))
        .as("looking for placements without workers reads none of the backlog")
        .isLessThan(20);
    assertThat(rowsTouched(tenantId, new Router.Headroom(Map.of(pool, 3), 0)))
        .as("a placement's head reads its headroom, not its backlog")
        .isLessThan(20);
    conductor.offboard("backlog");
  }

  @Test
  void oneAffinityKeysBacklogDoesNotCrowdAnotherKeyOutOfAPass() throws SQLException {
    conductor.onboard("keys", "keys");
    UUID tenantId = conductor.tenantId("keys");
    // Suspended: no pass of the conductor's own acts on what is inserted; this test runs them.
    assertThat(
            conductor
                .send(
                    conductor
                        .admin("/v1/tenants/keys/suspend")
                        .POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(200);
    insertQueued(tenantId, "flood", 1_000);
    insertQueued(tenantId, "trickle", 3);
    Limits limits = new Limits(4, 1, 4);

    Router.Headroom room = Router.headroom(List.of(), limits, 1000);
    List<Job> head = head(new QueuedJobs(tx), tenantId, room);
    RoutingPlan plan =
        Router.decide(
            new RoutingSnapshot(
                head.stream()
                    .map(job -> new RoutingSnapshot.QueuedJob(job.id(), job.affinityKey()))
                    .toList(),
                List.of(),
                limits,
                0));

    assertThat(head)
        .as("the flood's oldest jobs, as many as its one worker takes, and the trickle's")
        .extracting(Job::affinityKey)
        .containsOnly("flood", "trickle")
        .filteredOn("trickle"::equals)
        .hasSize(3);
    assertThat(head).filteredOn(job -> job.affinityKey().equals("flood")).hasSize(4);
    assertThat(plan.starts())
        .as("a worker starts for each key in the same pass")
        .extracting(RoutingPlan.WorkerStart::affinityKey)
        .containsExactlyInAnyOrder("flood", "trickle");
    conductor.offboard("keys");
  }

  /**
   * Rows the head query's scans returned or filtered out, from {@code EXPLAIN ANALYZE}: what it
   * read, whatever the machine's speed.
   */
  private long rowsTouched(UUID tenantId, Router.Headroom room) {
    return tx.executeRead(
        status -> {
          Connection connection = tx.getConnection();
          try (PreparedStatement explain =
                  QueuedJobs.prepareHead(
                      connection,
                      "EXPLAIN (ANALYZE, FORMAT JSON) " + QueuedJobs.HEAD,
                      tenantId,
                      room);
              ResultSet plan = explain.executeQuery()) {
            plan.next();
            return rowsTouched(JSON.readTree(plan.getString(1)).get(0).get("Plan"));
          } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static long rowsTouched(JsonNode node) {
    long rows = 0;
    if (node.path("Node Type").asText().contains("Scan")
        && !node.path("Node Type").asText().contains("CTE")
        && !node.path("Node Type").asText().contains("Function")) {
      rows +=
          node.path("Actual Rows").asLong() * node.path("Actual Loops").asLong()
              + node.path("Rows Removed by Filter").asLong();
    }
    for (JsonNode child : node.path("Plans")) {
      rows += rowsTouched(child);
    }
    return rows;
  }

  private List<Job> head(QueuedJobs queue, UUID tenantId, Router.Headroom room) {
    return tx.executeRead(status -> queue.head(tenantId, room));
  }

  private Dispatcher dispatcher(QueuedJobs queue) {
    ApplicationContext context = conductor.server().context();
    return new Dispatcher(
        context.getBean(TenantRepository.class),
        context.getBean(JobRepository.class),
        queue,
        context.getBean(WorkerRepository.class),
        context.getBean(Plans.class),
        context.getBean(WorkerLifecycle.class),
        context.getBean(DispatchEffects.class),
        tx,
        context.getBean(Clock.class),
        context.getBean(ExecutorService.class, Qualifiers.byName("routing")));
  }

  private void insertQueued(UUID tenantId, int count) throws SQLException {
    insertQueued(tenantId, "", count);
  }

  /** {@code count} queued jobs of one affinity key, created after every job inserted before. */
  private void insertQueued(UUID tenantId, String affinityKey, int count) throws SQLException {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO jobs (id, tenant_id, type, payload, affinity_key, status,"
                    + " max_attempts, timeout_ms, created_at, updated_at)"
                    + " SELECT gen_random_uuid(), ?, 'echo', '{}', ?, 'QUEUED', 3, 60000,"
                    + " clock_timestamp() + n * interval '1 microsecond', now()"
                    + " FROM generate_series(1, ?) n")) {
      insert.setObject(1, tenantId);
      insert.setString(2, affinityKey);
      insert.setInt(3, count);
      assertThat(insert.executeUpdate()).isEqualTo(count);
    }
  }

  private int countQueued(UUID tenantId) throws SQLException {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT count(*) FROM jobs WHERE tenant_id = ? AND status = 'QUEUED'")) {
      query.setObject(1, tenantId);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  private static String status(JsonNode job) {
    return job.path("status").asText();
  }

  /** The queue's reads, counted: rows returned per read. */
  private static final class CountingQueue extends QueuedJobs {
    final List<Integer> reads = new ArrayList<>();

    CountingQueue(TransactionOperations<Connection> tx) {
      super(tx);
    }

    @Override
    List<Job> head(UUID tenantId, Router.Headroom room) {
      List<Job> jobs = super.head(tenantId, room);
      reads.add(jobs.size());
      return jobs;
    }
  }
}
