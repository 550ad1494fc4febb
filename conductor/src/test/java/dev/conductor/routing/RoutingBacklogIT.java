package dev.conductor.routing;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.fleet.WorkerRepository;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.plan.Plans;
import dev.conductor.tenant.TenantRepository;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.transaction.TransactionOperations;
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
  private static final Duration LIMIT = Duration.ofSeconds(90);
  // Outlasts the test: the worker stays full until offboarding stops it.
  private static final String LONG_SLEEP = "{\"type\":\"sleep\",\"payload\":{\"ms\":600000}}";

  private RunningConductor conductor;
  private TransactionOperations<Connection> tx;

  @BeforeAll
  void start() {
    Map<String, Object> properties = FastTimers.properties();
    // One worker of four slots per tenant: four running jobs fill it.
    properties.put("conductor.plans.narrow.worker-capacity", 4);
    properties.put("conductor.plans.narrow.max-workers-per-key", 1);
    properties.put("conductor.plans.narrow.max-workers-per-tenant", 1);
    properties.put("conductor.plans.narrow.idle-timeout", "5m");
    properties.put("conductor.plans.narrow.max-attempts", 3);
    properties.put("conductor.plans.narrow.job-timeout", "20m");
    properties.put("conductor.plans.narrow.max-payload-bytes", 1024);
    conductor = RunningConductor.start(properties);
    tx =
        conductor
            .server()
            .context()
            .getBean(Argument.of(TransactionOperations.class, Connection.class));
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
    conductor.offboard("backlog");
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
    try (Connection db = conductor.superuserConnection();
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO jobs (id, tenant_id, type, payload, affinity_key, status,"
                    + " max_attempts, timeout_ms, created_at, updated_at)"
                    + " SELECT gen_random_uuid(), ?, 'echo', '{}', '', 'QUEUED', 3, 60000,"
                    + " now() + n * interval '1 microsecond', now() FROM generate_series(1, ?) n")) {
      insert.setObject(1, tenantId);
      insert.setInt(2, count);
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
