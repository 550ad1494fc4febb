package dev.conductor.reports;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.fleet.WorkerRepository;
import dev.conductor.fleet.WorkerState;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.JobStatus;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.WireFormat;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Worker reports applied as a conductor receives them, duplicated, late, from the wrong worker or
 * out of order: only the current attempt's first end counts, and nothing after it changes the job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerReportsIT {
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(FastTimers.properties());
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void onlyTheCurrentAttemptsFirstEndCounts() {
    String key = conductor.onboard("reporting", "dev");
    UUID tenantId = conductor.tenantId("reporting");
    // Outlasts the test: the worker's own report never arrives while these are applied.
    String id = conductor.submitJob(key, RunningConductor.LONG_JOB);
    JsonNode running =
        await(
            () -> conductor.job(key, id),
            job -> "RUNNING".equals(job.path("status").asText()),
            Duration.ofSeconds(60));
    String worker = running.get("workerId").asText();
    WorkerReports reports = conductor.server().context().getBean(WorkerReports.class);
    Envelope attempt1 = dispatched(worker, id, 1);

    reports.apply(tenantId, dispatched(worker, id, 0).succeeded(worker, result("stale attempt")));
    reports.apply(
        tenantId, attempt1.succeeded(UUID.randomUUID().toString(), result("another worker")));
    assertThat(conductor.job(key, id).get("status").asText()).isEqualTo("RUNNING");

    reports.apply(tenantId, attempt1.succeeded(worker, result("first")));
    JsonNode succeeded = conductor.job(key, id);
    assertThat(succeeded.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(succeeded.get("result")).isEqualTo(result("first"));

    reports.apply(tenantId, attempt1.succeeded(worker, result("duplicate")));
    reports.apply(tenantId, attempt1.failed(worker, "late failure", true));
    reports.apply(tenantId, attempt1.started(worker));
    JsonNode after = conductor.job(key, id);
    assertThat(after.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(after.get("result")).isEqualTo(result("first"));
    assertThat(after.get("finishedAt")).isEqualTo(succeeded.get("finishedAt"));
    assertThat(after.get("startedAt")).isEqualTo(succeeded.get("startedAt"));
    assertThat(after.get("attempts").asInt()).isEqualTo(1);
    conductor.offboard("reporting");
  }

  /**
   * The bus may hand a job's end to the conductor before its start: the job still has a timeline,
   * {@code startedAt ≤ finishedAt}, and the late start changes nothing.
   */
  @Test
  void anEndReportedBeforeItsStartStillGivesATimeline() {
    conductor.onboard("timeline", "dev");
    UUID tenantId = conductor.tenantId("timeline");
    JobRepository jobs = conductor.server().context().getBean(JobRepository.class);
    WorkerReports reports = conductor.server().context().getBean(WorkerReports.class);
    // A worker no conductor started, so nothing else reports on these jobs.
    String worker = UUID.randomUUID().toString();

    for (JobStatus end : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED)) {
      Instant dispatched = Instant.now();
      Job job =
          jobs.save(
              new Job(
                  UUID.randomUUID(),
                  tenantId,
                  "echo",
                  "{}",
                  "",
                  null,
                  JobStatus.DISPATCHED,
                  1,
                  3,
                  60_000,
                  UUID.fromString(worker),
                  null,
                  null,
                  null,
                  dispatched,
                  dispatched,
                  null,
                  null,
                  dispatched,
                  "",
                  null));
      Envelope attempt =
          Envelope.job(
              "timeline",
              worker,
              job.id().toString(),
              1,
              "echo",
              JsonNodeFactory.instance.objectNode(),
              60_000,
              null);

      reports.apply(
          tenantId,
          end == JobStatus.SUCCEEDED
              ? attempt.succeeded(worker, result("before its start"))
              : attempt.failed(worker, "failed before its start", false));
      Job ended = jobs.findById(job.id()).orElseThrow();
      reports.apply(tenantId, attempt.started(worker));
      Job after = jobs.findById(job.id()).orElseThrow();

      assertThat(ended.status()).isEqualTo(end);
      assertThat(ended.startedAt()).as(end + " startedAt").isNotNull();
      assertThat(ended.startedAt()).isBeforeOrEqualTo(ended.finishedAt());
      assertThat(after).as("after the late start").isEqualTo(ended);
    }
    conductor.offboard("timeline");
  }

  /**
   * A burst of reports from several workers, each in its order, some ends before their starts:
   * applied in one transaction (every job row written by the same one), with each worker's order
   * kept (a worker's "stopped" after its last result does not hand that job back).
   */
  @Test
  void aBurstFromSeveralWorkersIsAppliedInOneTransactionInOrder() throws Exception {
    conductor.onboard("burst", "dev");
    UUID tenantId = conductor.tenantId("burst");
    Burst burst = burst("burst", tenantId, 3, 4);
    List<Envelope> reports = new ArrayList<>(burst.reports());
    reports.add(Envelope.stopped("burst", burst.workers().get(0).toString()));

    reports(conductor).applyAll(tenantId, reports);

    assertOutcome(burst);
    assertThat(transactionsThatWrote(burst.jobs())).isEqualTo(1);
    WorkerRepository workers = conductor.server().context().getBean(WorkerRepository.class);
    assertThat(workers.findById(burst.workers().get(0)).orElseThrow().state())
        .isEqualTo(WorkerState.STOPPED);
    conductor.offboard("burst");
  }

  /**
   * A crash after the reports' commit and before their acknowledgement: the bus delivers them
   * again, and applying them again changes no job.
   */
  @Test
  void reportsAppliedAgainAfterACrashBeforeTheirAckChangeNothing() {
    conductor.onboard("again", "dev");
    UUID tenantId = conductor.tenantId("again");
    Burst burst = burst("again", tenantId, 2, 4);
    WorkerReports reports = reports(conductor);
    JobRepository jobs = conductor.server().context().getBean(JobRepository.class);

    reports.applyAll(tenantId, burst.reports());
    List<Job> applied = burst.jobs().stream().map(id -> jobs.findById(id).orElseThrow()).toList();
    reports.applyAll(tenantId, burst.reports());
    for (Envelope report : burst.reports()) {
      reports.apply(tenantId, report);
    }

    assertOutcome(burst);
    assertThat(burst.jobs().stream().map(id -> jobs.findById(id).orElseThrow()).toList())
        .isEqualTo(applied);
    conductor.offboard("again");
  }

  /** The same burst sent on the tenant's control queue: received in batches, order kept. */
  @Test
  void aBurstOnTheControlQueueIsAppliedInOrder() {
    conductor.onboard("queued", "dev");
    UUID tenantId = conductor.tenantId("queued");
    Burst burst = burst("queued", tenantId, 3, 20);
    List<Envelope> reports = new ArrayList<>(burst.reports());
    reports.add(Envelope.stopped("queued", burst.workers().get(0).toString()));

    sendAndAwaitStopped("queued", reports, burst.workers().get(0));

    assertOutcome(burst);
    conductor.offboard("queued");
  }

  /**
   * A worker reaches only its own tenant's control queue, but could name another tenant's worker
   * and jobs there: such reports are dead-lettered and change nothing of the other tenant's.
   */
  @Test
  void reportsNamingAnotherTenantsWorkerChangeNothing() {
    conductor.onboard("victim", "dev");
    conductor.onboard("intruder", "dev");
    UUID victimId = conductor.tenantId("victim");
    // The victim's worker and jobs, in reports that say "intruder" as its queue requires.
    Burst foreign = burst("intruder", victimId, 1, 3);
    WorkerLifecycle lifecycle = conductor.server().context().getBean(WorkerLifecycle.class);
    UUID ownWorker = lifecycle.register(conductor.tenantId("intruder"), "", "", 1).id();
    List<Envelope> reports = new ArrayList<>(foreign.reports());
    reports.add(Envelope.stopped("intruder", foreign.workers().get(0).toString()));
    // Last, the intruder's own worker: once it is STOPPED, everything before it was received.
    reports.add(Envelope.stopped("intruder", ownWorker.toString()));

    sendAndAwaitStopped("intruder", reports, ownWorker);

    WorkerRepository workers = conductor.server().context().getBean(WorkerRepository.class);
    assertThat(workers.findById(foreign.workers().get(0)).orElseThrow().state())
        .isEqualTo(WorkerState.STARTING);
    JobRepository jobs = conductor.server().context().getBean(JobRepository.class);
    for (UUID job : foreign.jobs()) {
      Job unchanged = jobs.findById(job).orElseThrow();
      assertThat(unchanged.status()).isEqualTo(JobStatus.DISPATCHED);
      assertThat(unchanged.startedAt()).isNull();
    }
    conductor.offboard("intruder");
    conductor.offboard("victim");
  }

  /** Sends the reports on the tenant's control queue, then waits until {@code last} is STOPPED. */
  private void sendAndAwaitStopped(String tenant, List<Envelope> reports, UUID last) {
    MessageBus bus = conductor.server().context().getBean(MessageBus.class);
    String queue = ResourceNames.of(new TenantName(tenant)).controlQueue();
    reports.forEach(report -> bus.send(queue, WireFormat.encode(report)));
    WorkerRepository workers = conductor.server().context().getBean(WorkerRepository.class);
    await(
        () -> workers.findById(last).orElseThrow().state(),
        WorkerState.STOPPED::equals,
        Duration.ofSeconds(60));
  }

  /**
   * Jobs dispatched to workers no process runs (STARTING rows, so nothing else reports on them) and
   * their reports, each worker's in its order and the workers interleaved: job i of a worker ends
   * as i % 3 says (0: started then succeeded; 1: succeeded, then a late start; 2: started, then
   * failed for good), and the workers heartbeat in between.
   */
  private record Burst(List<UUID> workers, List<UUID> jobs, List<Envelope> reports) {}

  private Burst burst(String tenant, UUID tenantId, int workerCount, int jobsPerWorker) {
    WorkerLifecycle lifecycle = conductor.server().context().getBean(WorkerLifecycle.class);
    JobRepository jobs = conductor.server().context().getBean(JobRepository.class);
    List<UUID> workers = new ArrayList<>();
    List<UUID> jobIds = new ArrayList<>();
    List<List<Envelope>> perWorker = new ArrayList<>();
    for (int w = 0; w < workerCount; w++) {
      UUID worker = lifecycle.register(tenantId, "", "", 64).id();
      workers.add(worker);
      List<Envelope> own = new ArrayList<>();
      for (int i = 0; i < jobsPerWorker; i++) {
        Job job = jobs.save(dispatchedJob(tenantId, worker));
        jobIds.add(job.id());
        Envelope attempt = jobEnvelope(tenant, worker.toString(), job.id().toString());
        String from = worker.toString();
        switch (i % 3) {
          case 0 -> {
            own.add(attempt.started(from));
            own.add(attempt.succeeded(from, result(job.id().toString())));
          }
          case 1 -> {
            own.add(attempt.succeeded(from, result(job.id().toString())));
            own.add(attempt.started(from));
          }
          default -> {
            own.add(attempt.started(from));
            own.add(attempt.failed(from, "failed for good", false));
          }
        }
        own.add(Envelope.heartbeat(tenant, from, 1));
      }
      perWorker.add(own);
    }
    List<Envelope> interleaved = new ArrayList<>();
    for (int i = 0; i < perWorker.get(0).size(); i++) {
      for (List<Envelope> own : perWorker) {
        interleaved.add(own.get(i));
      }
    }
    return new Burst(workers, jobIds, interleaved);
  }

  private void assertOutcome(Burst burst) {
    JobRepository jobs = conductor.server().context().getBean(JobRepository.class);
    int perWorker = burst.jobs().size() / burst.workers().size();
    for (int j = 0; j < burst.jobs().size(); j++) {
      Job job = jobs.findById(burst.jobs().get(j)).orElseThrow();
      JobStatus expected = j % perWorker % 3 == 2 ? JobStatus.FAILED : JobStatus.SUCCEEDED;
      assertThat(job.status()).as("job %d", j).isEqualTo(expected);
      assertThat(job.attempts()).as("job %d attempts", j).isEqualTo(1);
      assertThat(job.startedAt()).as("job %d startedAt", j).isNotNull();
      assertThat(job.startedAt()).as("job %d timeline", j).isBeforeOrEqualTo(job.finishedAt());
      if (expected == JobStatus.SUCCEEDED) {
        assertThat(job.result()).contains(job.id().toString());
      }
    }
  }

  /** How many transactions last wrote these job rows (their xmin). */
  private int transactionsThatWrote(List<UUID> jobIds) throws Exception {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query =
            db.prepareStatement("SELECT count(DISTINCT xmin::text) FROM jobs WHERE id = ANY(?)")) {
      query.setArray(1, db.createArrayOf("uuid", jobIds.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static WorkerReports reports(RunningConductor conductor) {
    return conductor.server().context().getBean(WorkerReports.class);
  }

  private static Job dispatchedJob(UUID tenantId, UUID worker) {
    Instant dispatched = Instant.now();
    return new Job(
        UUID.randomUUID(),
        tenantId,
        "echo",
        "{}",
        "",
        null,
        JobStatus.DISPATCHED,
        1,
        3,
        60_000,
        worker,
        null,
        null,
        null,
        dispatched,
        dispatched,
        null,
        null,
        dispatched,
        "",
        null);
  }

  private static Envelope jobEnvelope(String tenant, String worker, String jobId) {
    return Envelope.job(
        tenant, worker, jobId, 1, "echo", JsonNodeFactory.instance.objectNode(), 60_000, null);
  }

  private static Envelope dispatched(String worker, String jobId, int attempt) {
    return Envelope.job(
        "reporting",
        worker,
        jobId,
        attempt,
        "sleep",
        JsonNodeFactory.instance.objectNode().put("ms", 50000),
        60_000,
        null);
  }

  private static JsonNode result(String value) {
    return JsonNodeFactory.instance.objectNode().put("from", value);
  }
}
