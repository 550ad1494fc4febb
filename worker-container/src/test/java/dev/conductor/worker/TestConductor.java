package dev.conductor.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.Inbox;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.Source;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import jakarta.annotation.Nullable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays the conductor's part: owns the tenant's job topic, the workers' subscriptions and the
 * control queue, dispatches jobs and listens to what the workers report.
 */
final class TestConductor implements AutoCloseable {
  static final String USER = "conductor";
  static final String PASSWORD = "test-secret";

  final MessageBus bus;
  final String tenant;
  final String topic;
  final String controlQueue;
  final ControlMessages control = new ControlMessages();
  private final String url;
  private final Receiver controlReceiver;
  private final List<Receiver> receivers = new ArrayList<>();

  TestConductor(EmbeddedArtemis broker) {
    this(broker, EntityOptions.DEFAULTS);
  }

  TestConductor(EmbeddedArtemis broker, EntityOptions topicOptions) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    this.url = broker.url();
    this.bus = ArtemisMessageBus.connect(url, USER, PASSWORD);
    this.tenant = "acme-" + suffix;
    this.topic = "jobs-" + suffix;
    this.controlQueue = "control-" + suffix;
    bus.createTopic(topic, topicOptions);
    bus.createQueue(controlQueue, EntityOptions.DEFAULTS);
    controlReceiver = bus.receive(Source.queue(controlQueue), new ReceiveOptions(1), control);
  }

  /** A fresh worker id with its subscription, filtered on that id as the conductor does it. */
  String newWorker() {
    String workerId = UUID.randomUUID().toString();
    subscribe(workerId, CorrelationFilter.of(WireFormat.WORKER_ID, workerId));
    return workerId;
  }

  void subscribe(String workerId, CorrelationFilter filter) {
    bus.createSubscription(topic, Topology.workerSubscription(workerId), filter);
  }

  /** The environment the conductor starts a worker with. */
  Map<String, String> environment(String workerId) {
    Map<String, String> env = new HashMap<>();
    env.put(WorkerSettings.WORKER_ID, workerId);
    env.put(WorkerSettings.TENANT, tenant);
    env.put(WorkerSettings.BUS_URL, url);
    env.put(WorkerSettings.BUS_USER, USER);
    env.put(WorkerSettings.BUS_PASSWORD, PASSWORD);
    env.put(WorkerSettings.JOB_TOPIC, topic);
    env.put(WorkerSettings.CONTROL_QUEUE, controlQueue);
    // Tests that look at heartbeats shorten this; others keep the control queue quiet.
    env.put(WorkerSettings.HEARTBEAT_INTERVAL, "1m");
    return env;
  }

  String sendJob(String workerId, String jobType, JsonNode payload) {
    return sendJob(workerId, jobType, payload, 0);
  }

  String sendJob(String workerId, String jobType, JsonNode payload, long timeoutMs) {
    return sendJob(workerId, jobType, payload, timeoutMs, null);
  }

  /** A job in the trace of {@code traceparent}, as the conductor sends it when tracing is on. */
  String sendJob(
      String workerId,
      String jobType,
      JsonNode payload,
      long timeoutMs,
      @Nullable String traceparent) {
    String jobId = "job-" + UUID.randomUUID().toString().substring(0, 8);
    bus.send(
        topic,
        WireFormat.encode(
            Envelope.job(tenant, workerId, jobId, 1, jobType, payload, timeoutMs, traceparent)));
    return jobId;
  }

  void sendShutdown(String workerId, long graceMs) {
    bus.send(topic, WireFormat.encode(Envelope.shutdown(tenant, workerId, graceMs)));
  }

  /** Takes what is left on the worker's subscription, as the conductor does to re-route it. */
  Inbox readSubscription(String workerId) {
    Inbox inbox = Inbox.recording();
    track(
        bus.receive(
            Source.subscription(topic, Topology.workerSubscription(workerId)),
            ReceiveOptions.ONE_AT_A_TIME,
            inbox));
    return inbox;
  }

  Inbox readDeadLetters(String workerId) {
    Inbox inbox = Inbox.recording();
    track(
        bus.receive(
            Source.deadLetters(Source.subscription(topic, Topology.workerSubscription(workerId))),
            ReceiveOptions.ONE_AT_A_TIME,
            inbox));
    return inbox;
  }

  private void track(Receiver receiver) {
    receivers.add(receiver);
  }

  @Override
  public void close() {
    receivers.forEach(Receiver::close);
    controlReceiver.close();
    bus.deleteTopic(topic);
    bus.deleteQueue(controlQueue);
    bus.close();
  }
}
