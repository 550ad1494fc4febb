package dev.conductor.worker;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.Source;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import jakarta.annotation.Nullable;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker: receives its jobs from its own subscription on the tenant's job topic, runs them
 * through the {@link JobHandler}s and reports on the control queue. The conductor creates and
 * deletes the subscription; the worker never touches topology.
 *
 * <p>Life cycle: {@link #start()} connects, starts receiving, sends {@code ready} and heartbeats.
 * {@link #shutdown()} (or a {@code SHUTDOWN} message) drains: no new job starts, jobs in flight get
 * the grace period to finish, then the receiver closes, {@code stopped} is sent and the bus closes.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  /** How long interrupted jobs get to report after the grace period ran out. */
  private static final Duration INTERRUPTED_JOBS_PATIENCE = Duration.ofSeconds(5);

  public enum State {
    NEW,
    READY,
    DRAINING,
    STOPPED,
    FAILED
  }

  private final WorkerSettings settings;
  private final JobHandlers handlers;
  private final BusConnector connector;
  private final WorkGate gate = new WorkGate();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final ExecutorService jobThreads;
  private volatile State state = State.NEW;
  private volatile boolean stoppedCleanly;
  // Set by start(), in this order; what a failed start left null is skipped by release().
  private @Nullable MessageBus bus;
  private @Nullable ControlQueue control;
  private @Nullable JobRunner runner;
  private @Nullable SubscriptionListener listener;
  private @Nullable Receiver receiver;
  private @Nullable Heartbeats heartbeats;
  private final WorkerTracing tracing;

  public Worker(WorkerSettings settings, JobHandlers handlers, BusConnector connector) {
    this(settings, handlers, connector, WorkerTracing.OFF);
  }

  Worker(
      WorkerSettings settings,
      JobHandlers handlers,
      BusConnector connector,
      WorkerTracing tracing) {
    this.tracing = tracing;
    this.settings = settings;
    this.handlers = handlers;
    this.connector = connector;
    AtomicInteger threads = new AtomicInteger();
    this.jobThreads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "job-" + threads.incrementAndGet());
              // A handler that ignores interrupts must not keep the process alive.
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Connects, starts receiving and announces {@code ready}. On failure everything opened so far is
   * closed and the worker is {@link State#FAILED}.
   */
  public synchronized void start() {
    if (state == State.STOPPED) {
      // Told to stop (SIGTERM) before it began: it never connects.
      LOG.info("stopped before it started workerId={}", settings.workerId());
      return;
    }
    if (state != State.NEW) {
      throw new IllegalStateException("worker already " + state);
    }
    String subscription = Topology.workerSubscription(settings.workerId());
    LOG.info(
        "starting workerId={} tenant={} affinityKey={} capacity={} bus={} user={} topic={}"
            + " subscription={} controlQueue={} handlers={}",
        settings.workerId(),
        settings.tenant(),
        settings.affinityKey(),
        settings.capacity(),
        BusAccess.withoutQuery(settings.busAccess().url()),
        settings.busAccess().credentials().user(),
        settings.jobTopic(),
        subscription,
        settings.controlQueue(),
        handlers.types());
    warmUpWireFormat();
    try {
      MessageBus connected = connector.connect(settings);
      bus = connected;
      ControlQueue controlQueue = new ControlQueue(connected, settings.controlQueue());
      control = controlQueue;
      JobRunner jobRunner = new JobRunner(settings, handlers, controlQueue, jobThreads, tracing);
      runner = jobRunner;
      SubscriptionListener jobListener =
          new SubscriptionListener(settings.workerId(), gate, jobRunner, this::requestShutdown);
      listener = jobListener;
      receiver =
          connected.receive(
              Source.subscription(settings.jobTopic(), subscription),
              new ReceiveOptions(settings.capacity(), true),
              jobListener);
      controlQueue.send(Envelope.ready(settings.tenant(), settings.workerId()));
      Heartbeats beats =
          new Heartbeats(
              controlQueue,
              settings.tenant(),
              settings.workerId(),
              settings.heartbeatInterval(),
              gate::inFlight);
      heartbeats = beats;
      beats.start();
    } catch (RuntimeException e) {
      state = State.FAILED;
      release();
      terminated.countDown();
      throw e;
    }
    state = State.READY;
    LOG.info("ready workerId={} jvmUptimeMs={}", settings.workerId(), jvmUptimeMillis());
  }

  /** Starts draining with the configured grace period and returns at once. */
  public void shutdown() {
    requestShutdown(null);
  }

  /** Drains and waits until stopped; true if every job in flight finished within the grace. */
  public boolean stop() {
    shutdown();
    awaitTermination();
    return stoppedCleanly;
  }

  @Override
  public void close() {
    stop();
  }

  public void awaitTermination() {
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public State state() {
    return state;
  }

  public int inFlight() {
    return gate.inFlight();
  }

  /** Whether the last stop let every job in flight finish within the grace period. */
  public boolean stoppedCleanly() {
    return stoppedCleanly;
  }

  /** Jobs received while draining and held until they go back to the subscription. */
  int held() {
    SubscriptionListener current = listener;
    return current == null ? 0 : current.held();
  }

  /** {@code grace} null: the configured grace period. */
  private synchronized void requestShutdown(@Nullable Duration grace) {
    if (state == State.NEW) {
      state = State.STOPPED;
      stoppedCleanly = true;
      terminated.countDown();
      return;
    }
    if (state != State.READY) {
      return;
    }
    state = State.DRAINING;
    gate.close();
    Duration effectiveGrace = grace == null ? settings.shutdownGrace() : grace;
    new Thread(() -> drain(effectiveGrace), "worker-drain").start();
  }

  private void drain(Duration grace) {
    LOG.info(
        "draining workerId={} inFlight={} graceMs={}",
        settings.workerId(),
        gate.inFlight(),
        grace.toMillis());
    boolean clean = awaitIdle(grace);
    if (!clean) {
      LOG.warn(
          "grace period over, interrupting jobs workerId={} inFlight={} graceMs={}",
          settings.workerId(),
          gate.inFlight(),
          grace.toMillis());
      JobRunner jobRunner = runner;
      // Never null here: draining starts only from READY, after start() made the runner.
      if (jobRunner != null) {
        jobRunner.interruptAll(
            "interrupted: the worker shut down before the job finished (grace period "
                + grace.toMillis()
                + " ms)");
      }
      if (!awaitIdle(INTERRUPTED_JOBS_PATIENCE)) {
        LOG.warn(
            "jobs did not report after interruption workerId={} inFlight={}",
            settings.workerId(),
            gate.inFlight());
      }
    }
    release();
    stoppedCleanly = clean;
    state = State.STOPPED;
    LOG.info("stopped workerId={} clean={}", settings.workerId(), clean);
    terminated.countDown();
  }

  private boolean awaitIdle(Duration timeout) {
    try {
      return gate.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes in order: receiver (held jobs go back), heartbeats, {@code stopped}, bus. */
  private void release() {
    Receiver openReceiver = receiver;
    if (openReceiver != null) {
      closeQuietly("receiver", openReceiver);
    }
    SubscriptionListener jobListener = listener;
    if (jobListener != null) {
      jobListener.receiverClosed();
    }
    Heartbeats beats = heartbeats;
    if (beats != null) {
      beats.close();
    }
    ControlQueue controlQueue = control;
    if (controlQueue != null && state != State.FAILED) {
      try {
        controlQueue.send(Envelope.stopped(settings.tenant(), settings.workerId()));
      } catch (RuntimeException e) {
        LOG.warn("could not send stopped workerId={}", settings.workerId(), e);
      }
    }
    MessageBus connected = bus;
    if (connected != null) {
      closeQuietly("bus", connected);
    }
    jobThreads.shutdownNow();
  }

  private void closeQuietly(String what, AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("closing the {} failed workerId={}", what, settings.workerId(), e);
    }
  }

  /** Builds the JSON (de)serialisers on another core while the bus connects: faster to ready. */
  private void warmUpWireFormat() {
    Thread thread =
        new Thread(
            () ->
                WireFormat.decode(
                    WireFormat.encode(
                            Envelope.job(
                                    settings.tenant(),
                                    settings.workerId(),
                                    "warm-up",
                                    1,
                                    "warm-up",
                                    NullNode.getInstance(),
                                    0,
                                    null)
                                .succeeded(settings.workerId(), NullNode.getInstance()))
                        .body()),
            "wire-format-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Measured after {@code ready} is sent: loading the management classes takes ~15 ms. */
  private static long jvmUptimeMillis() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }
}
