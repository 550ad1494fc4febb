package dev.conductor.worker;

import static dev.conductor.messaging.protocol.MessageType.FAILED;
import static dev.conductor.messaging.protocol.MessageType.HEARTBEAT;
import static dev.conductor.messaging.protocol.MessageType.READY;
import static dev.conductor.messaging.protocol.MessageType.STARTED;
import static dev.conductor.messaging.protocol.MessageType.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.Inbox;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker in this JVM against a real embedded broker; the test plays the conductor. */
class WorkerTest {
  private static final Duration QUIET = Duration.ofMillis(500);

  @TempDir static Path data;
  private static EmbeddedArtemis broker;

  private TestConductor conductor;
  private final List<Worker> workers = new ArrayList<>();

  /** Jobs of type "hold" run until this opens (or they are interrupted). */
  private final CountDownLatch holdRelease = new CountDownLatch(1);

  private final JobHandler hold =
      TestHandler.of(
          "hold",
          (context, payload) -> {
            holdRelease.await();
            return payload;
          });

  @BeforeAll
  static void startBroker() {
    broker =
        EmbeddedArtemis.start(
            new EmbeddedArtemis.Settings(
                data, "127.0.0.1", 0, false, TestConductor.USER, TestConductor.PASSWORD));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void startConductor() {
    conductor = new TestConductor(broker);
  }

  @AfterEach
  void stopEverything() {
    holdRelease.countDown();
    workers.forEach(Worker::stop);
    conductor.close();
  }

  @Test
  void announcesReadyOnTheControlQueue() {
    String workerId = conductor.newWorker();

    Worker worker = start(workerId, Map.of());

    Envelope ready = conductor.control.awaitReady(workerId);
    assertThat(ready.type()).isEqualTo(READY);
    assertThat(ready.tenant()).isEqualTo(conductor.tenant);
    assertThat(worker.state()).isEqualTo(Worker.State.READY);
  }

  @Test
  void echoJobReportsStartedThenSucceededWithThePayload() {
    String workerId = conductor.newWorker();
    start(workerId, Map.of());
    JsonNode payload = json("{\"greeting\": \"hello\", \"n\": [1, 2, 3]}");

    String jobId = conductor.sendJob(workerId, "echo", payload);

    Envelope succeeded = conductor.control.awaitReport(SUCCEEDED, jobId);
    assertThat(succeeded.result()).isEqualTo(payload);
    assertThat(succeeded.workerId()).isEqualTo(workerId);
    assertThat(succeeded.tenant()).isEqualTo(conductor.tenant);
    assertThat(succeeded.attempt()).isEqualTo(1);
    assertThat(conductor.control.reportsOf(jobId))
        .extracting(Envelope::type, Envelope::workerId)
        .containsExactly(tuple(STARTED, workerId), tuple(SUCCEEDED, workerId));
  }

  @Test
  void aRedeliveredJobIsAnsweredAgainNotRunTwice() {
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    JobHandler counting =
        new JobHandler() {
          @Override
          public String type() {
            return "count";
          }

          @Override
          public JsonNode handle(JobContext context, JsonNode payload) {
            runs.incrementAndGet();
            return payload;
          }
        };
    String workerId = conductor.newWorker();
    start(workerId, Map.of(), counting);
    String jobId = conductor.sendJob(workerId, "count", json("1"));
    conductor.control.awaitReport(SUCCEEDED, jobId);
    // The same job message again, as after a lost acknowledgement (another broker message id, so
    // that the broker's duplicate detection does not hide it from the worker).
    var original =
        WireFormat.encode(
            Envelope.job(conductor.tenant, workerId, jobId, 1, "count", json("1"), 0, null));
    conductor.bus.send(
        conductor.topic,
        new dev.conductor.messaging.OutgoingMessage(
            "redelivery-" + jobId, original.properties(), original.body()));
    // Capacity 1 takes the subscription's messages one at a time and in order: once the job sent
    // after the redelivery has succeeded, the redelivery has been handled.
    String after = conductor.sendJob(workerId, "echo", json("{\"after\": \"redelivery\"}"));
    conductor.control.awaitReport(SUCCEEDED, after);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(conductor.control.reportsOf(jobId))
        .extracting(Envelope::type)
        .containsExactly(STARTED, SUCCEEDED);
  }

  @Test
  void runsAsManyJobsAtOnceAsItsCapacity() {
    // Each job waits for the other: both succeed only if both run at the same time.
    CountDownLatch arrivals = new CountDownLatch(2);
    JobHandler rendezvous =
        TestHandler.of(
            "rendezvous",
            (context, payload) -> {
              arrivals.countDown();
              if (!arrivals.await(10, TimeUnit.SECONDS)) {
                throw new JobFailure("ran alone: capacity not used", false);
              }
              return payload;
            });
    String workerId = conductor.newWorker();
    start(workerId, Map.of(WorkerSettings.CAPACITY, "2"), rendezvous);

    String first = conductor.sendJob(workerId, "rendezvous", json("{\"n\": 1}"));
    String second = conductor.sendJob(workerId, "rendezvous", json("{\"n\": 2}"));

    Envelope firstDone = conductor.control.awaitReport(SUCCEEDED, first);
    Envelope secondDone = conductor.control.awaitReport(SUCCEEDED, second);
    int firstSucceeded =
        Math.min(conductor.control.indexOf(firstDone), conductor.control.indexOf(secondDone));
    assertThat(conductor.control.indexOf(conductor.control.awaitReport(STARTED, first)))
        .isLessThan(firstSucceeded);
    assertThat(conductor.control.indexOf(conductor.control.awaitReport(STARTED, second)))
        .isLessThan(firstSucceeded);
  }

  @Test
  void runsOneJobAtATimeWithCapacityOne() {
    String workerId = conductor.newWorker();
    start(workerId, Map.of());

    String first = conductor.sendJob(workerId, "sleep", json("{\"ms\": 200}"));
    String second = conductor.sendJob(workerId, "sleep", json("{\"ms\": 200}"));

    conductor.control.awaitReport(SUCCEEDED, second);
    assertThat(conductor.control.all())
        .filteredOn(e -> e.jobId() != null)
        .extracting(Envelope::jobId, Envelope::type)
        .containsExactly(
            tuple(first, STARTED),
            tuple(first, SUCCEEDED),
            tuple(second, STARTED),
            tuple(second, SUCCEEDED));
    assertThat(conductor.control.awaitReport(SUCCEEDED, first).result())
        .isEqualTo(json("{\"sleptMs\": 200}"));
  }

  @Test
  void failJobReportsTheRetryableFlagItAskedFor() {
    String workerId = conductor.newWorker();
    start(workerId, Map.of());

    String retryable =
        conductor.sendJob(
            workerId, "fail", json("{\"message\": \"upstream busy\", \"retryable\": true}"));
    String permanent =
        conductor.sendJob(
            workerId, "fail", json("{\"message\": \"bad input\", \"retryable\": false}"));

    Envelope retry = conductor.control.awaitReport(FAILED, retryable);
    assertThat(retry.error()).isEqualTo("upstream busy");
    assertThat(retry.retryable()).isTrue();
    assertThat(retry.workerId()).isEqualTo(workerId);
    Envelope noRetry = conductor.control.awaitReport(FAILED, permanent);
    assertThat(noRetry.error()).isEqualTo("bad input");
    assertThat(noRetry.retryable()).isFalse();
  }

  @Test
  void unknownJobTypeFailsWithoutRetry() {
    String workerId = conductor.newWorker();
    start(workerId, Map.of());

    String jobId = conductor.sendJob(workerId, "transmogrify", json("{}"));

    Envelope failed = conductor.control.awaitReport(FAILED, jobId);
    assertThat(failed.error()).isEqualTo("unknown job type 'transmogrify'");
    assertThat(failed.retryable()).isFalse();
  }

  @Test
  void handlerExceptionFailsRetryablyWithItsMessage() {
    JobHandler explode =
        TestHandler.of(
            "explode",
            (context, payload) -> {
              throw new IllegalStateException("upstream said 503");
            });
    String workerId = conductor.newWorker();
    start(workerId, Map.of(), explode);

    String jobId = conductor.sendJob(workerId, "explode", json("{}"));

    Envelope failed = conductor.control.awaitReport(FAILED, jobId);
    assertThat(failed.error()).isEqualTo("upstream said 503");
    assertThat(failed.retryable()).isTrue();
  }

  @Test
  void jobPastItsTimeoutIsInterruptedAndFailsWithoutRetry() {
    String workerId = conductor.newWorker();
    start(workerId, Map.of());

    String slow = conductor.sendJob(workerId, "sleep", json("{\"ms\": 60000}"), 300);

    Envelope failed = conductor.control.awaitReport(FAILED, slow);
    assertThat(failed.error()).isEqualTo("timed out after 300 ms");
    assertThat(failed.retryable()).isFalse();
    // The only slot is free again.
    String next = conductor.sendJob(workerId, "echo", json("{\"after\": \"timeout\"}"));
    assertThat(conductor.control.awaitReport(SUCCEEDED, next).result())
        .isEqualTo(json("{\"after\": \"timeout\"}"));
  }

  @Test
  void eachWorkerReceivesOnlyItsOwnJobs() {
    String a = conductor.newWorker();
    String b = conductor.newWorker();
    start(a, Map.of());
    start(b, Map.of());
    Inbox misroutedToA = conductor.readDeadLetters(a);
    Inbox misroutedToB = conductor.readDeadLetters(b);

    List<String> jobsOfA = new ArrayList<>();
    List<String> jobsOfB = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobsOfA.add(conductor.sendJob(a, "echo", json("{\"for\": \"a\"}")));
      jobsOfB.add(conductor.sendJob(b, "echo", json("{\"for\": \"b\"}")));
    }

    jobsOfA.forEach(job -> assertReportedOnlyBy(job, a, "a"));
    jobsOfB.forEach(job -> assertReportedOnlyBy(job, b, "b"));
    assertThat(misroutedToA.poll(QUIET)).isEmpty();
    assertThat(misroutedToB.poll(QUIET)).isEmpty();
  }

  @Test
  void jobAddressedToAnotherWorkerIsDeadLetteredNotRun() {
    // A broken subscription filter lets every job on the topic through to this worker.
    String workerId = UUID.randomUUID().toString();
    conductor.subscribe(workerId, CorrelationFilter.ALL);
    start(workerId, Map.of());
    Inbox deadLetters = conductor.readDeadLetters(workerId);
    String otherWorker = UUID.randomUUID().toString();

    String foreign = conductor.sendJob(otherWorker, "echo", json("{}"));

    Inbox.Delivery deadLetter = deadLetters.next();
    assertThat(WireFormat.decode(deadLetter.body()).jobId()).isEqualTo(foreign);
    assertThat(deadLetter.properties().get("deadLetterReason"))
        .isEqualTo("JOB for worker " + otherWorker + " reached worker " + workerId);
    String own = conductor.sendJob(workerId, "echo", json("{}"));
    conductor.control.awaitReport(SUCCEEDED, own);
    assertThat(conductor.control.reportsOf(foreign)).isEmpty();
  }

  @Test
  void undecodableMessageIsDeadLetteredWithTheReason() {
    String workerId = conductor.newWorker();
    start(workerId, Map.of());
    Inbox deadLetters = conductor.readDeadLetters(workerId);

    conductor.bus.send(
        conductor.topic,
        new OutgoingMessage(
            "garbage-1",
            Map.of(WireFormat.WORKER_ID, workerId),
            "this is not json".getBytes(StandardCharsets.UTF_8)));

    Inbox.Delivery deadLetter = deadLetters.next();
    assertThat(deadLetter.text()).isEqualTo("this is not json");
    assertThat(deadLetter.properties().get("deadLetterReason"))
        .startsWith("undecodable message: not a conductor message");
  }

  @Test
  void heartbeatsCarryTheInFlightCount() {
    String workerId = conductor.newWorker();
    start(workerId, Map.of(WorkerSettings.HEARTBEAT_INTERVAL, "100ms"), hold);
    ControlMessages control = conductor.control;
    control.await("idle heartbeat", heartbeat(workerId, 0));

    String jobId = conductor.sendJob(workerId, "hold", json("{}"));

    int started = control.indexOf(control.awaitReport(STARTED, jobId));
    control.awaitFrom(started, "busy heartbeat", heartbeat(workerId, 1));
    holdRelease.countDown();
    int succeeded = control.indexOf(control.awaitReport(SUCCEEDED, jobId));
    control.awaitFrom(succeeded, "idle heartbeat after the job", heartbeat(workerId, 0));
  }

  @Test
  void shutdownLetsTheRunningJobFinishThenStopsAndLeavesNewJobsOnTheSubscription()
      throws InterruptedException {
    String workerId = conductor.newWorker();
    Worker worker = start(workerId, Map.of(WorkerSettings.CAPACITY, "2"), hold);
    String running = conductor.sendJob(workerId, "hold", json("{\"job\": \"running\"}"));
    conductor.control.awaitReport(STARTED, running);

    conductor.sendShutdown(workerId, 30_000);
    awaitTrue("worker draining", () -> worker.state() == Worker.State.DRAINING);
    String late = conductor.sendJob(workerId, "echo", json("{\"job\": \"late\"}"));
    awaitTrue("late job held", () -> worker.held() == 1);
    holdRelease.countDown();

    Envelope succeeded = conductor.control.awaitReport(SUCCEEDED, running);
    Envelope stopped = conductor.control.awaitStopped(workerId);
    assertThat(conductor.control.indexOf(succeeded)).isLessThan(conductor.control.indexOf(stopped));
    assertThat(worker.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(worker.stoppedCleanly()).isTrue();
    assertThat(conductor.control.reportsOf(late)).isEmpty();
    Envelope leftOver = WireFormat.decode(conductor.readSubscription(workerId).next().body());
    assertThat(leftOver.jobId()).isEqualTo(late);
  }

  @Test
  void graceExpiryInterruptsTheJobAndReportsItRetryable() {
    String workerId = conductor.newWorker();
    Worker worker = start(workerId, Map.of(WorkerSettings.SHUTDOWN_GRACE, "300ms"), hold);
    String jobId = conductor.sendJob(workerId, "hold", json("{}"));
    conductor.control.awaitReport(STARTED, jobId);

    boolean clean = worker.stop();

    assertThat(clean).isFalse();
    Envelope failed = conductor.control.awaitReport(FAILED, jobId);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.error())
        .isEqualTo(
            "interrupted: the worker shut down before the job finished (grace period 300 ms)");
    assertThat(conductor.control.indexOf(failed))
        .isLessThan(conductor.control.indexOf(conductor.control.awaitStopped(workerId)));
  }

  @Test
  void jobWhoseReportCannotBeSentIsLeftForRedelivery() {
    conductor.close();
    conductor = new TestConductor(broker, new EntityOptions(2));
    String workerId = conductor.newWorker();
    start(workerId, Map.of());
    Inbox deadLetters = conductor.readDeadLetters(workerId);
    conductor.bus.deleteQueue(conductor.controlQueue);

    String jobId = conductor.sendJob(workerId, "echo", json("{}"));

    // Never completed: abandoned on each delivery until the broker gives up on it.
    Inbox.Delivery deadLetter = deadLetters.next();
    assertThat(WireFormat.decode(deadLetter.body()).jobId()).isEqualTo(jobId);
    assertThat(deadLetter.properties().get("deadLetterReason"))
        .isEqualTo("MaxDeliveryCountExceeded");
    conductor.bus.createQueue(conductor.controlQueue, EntityOptions.DEFAULTS);
  }

  @Test
  void aStopWhileStartingDrainsOnceReadyInsteadOfCuttingItShort() throws Exception {
    String workerId = conductor.newWorker();
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch letConnect = new CountDownLatch(1);
    BusConnector artemis = BusConnector.forKind("artemis");
    Worker worker =
        new Worker(
            WorkerSettings.fromEnvironment(conductor.environment(workerId)),
            JobHandlers.load(),
            settings -> {
              connecting.countDown();
              awaitQuietly(letConnect);
              return artemis.connect(settings);
            });
    workers.add(worker);
    Thread starting = new Thread(worker::start, "starting");
    starting.start();
    assertThat(connecting.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(worker::stop);

    letConnect.countDown();

    assertThat(stopped.get(60, TimeUnit.SECONDS)).isTrue();
    starting.join(10_000);
    assertThat(conductor.control.awaitReady(workerId).workerId()).isEqualTo(workerId);
    assertThat(conductor.control.awaitStopped(workerId).workerId()).isEqualTo(workerId);
    assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
  }

  @Test
  void aWorkerStoppedBeforeItStartsNeverConnects() {
    AtomicInteger connects = new AtomicInteger();
    Worker worker =
        new Worker(
            WorkerSettings.fromEnvironment(conductor.environment(conductor.newWorker())),
            JobHandlers.load(),
            settings -> {
              connects.incrementAndGet();
              throw new IllegalStateException("must not connect");
            });

    assertThat(worker.stop()).isTrue();
    worker.start();

    assertThat(connects).hasValue(0);
    assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Worker start(String workerId, Map<String, String> overrides, JobHandler... extra) {
    Map<String, String> environment = conductor.environment(workerId);
    environment.putAll(overrides);
    Worker worker =
        new Worker(
            WorkerSettings.fromEnvironment(environment),
            JobHandlers.load().with(extra),
            BusConnector.forKind("artemis"));
    workers.add(worker);
    worker.start();
    conductor.control.awaitReady(workerId);
    return worker;
  }

  private void assertReportedOnlyBy(String jobId, String workerId, String expectedFor) {
    Envelope succeeded = conductor.control.awaitReport(SUCCEEDED, jobId);
    assertThat(succeeded.result().path("for").asText()).isEqualTo(expectedFor);
    assertThat(conductor.control.reportsOf(jobId))
        .extracting(Envelope::workerId)
        .containsOnly(workerId);
  }

  private static Predicate<Envelope> heartbeat(String workerId, int inFlight) {
    return e -> e.type() == HEARTBEAT && workerId.equals(e.workerId()) && e.inFlight() == inFlight;
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(ControlMessages.PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  static JsonNode json(String text) {
    try {
      return WireFormat.json().readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
