package dev.conductor.bench;

import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.Source;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * (a, beside) The floor under dispatch: one durable message at a time through the messaging
 * module's {@link ArtemisMessageBus} against its own persistent {@link EmbeddedArtemis} over
 * loopback, send() called → handler entered, in this JVM's monotonic clock. One job's trip has two
 * such hops (job message to the worker, {@code started} report back), plus the database.
 */
final class BrokerRoundTrip {
  private static final String QUEUE = "bench.roundtrip";

  private final int messages;
  private final int warmup;

  BrokerRoundTrip(int messages, int warmup) {
    this.messages = messages;
    this.warmup = warmup;
  }

  List<Row> run(Path scratch) {
    Bench.progress("a: raw Artemis durable send → receive, %d round trips", messages);
    String password = UUID.randomUUID().toString();
    Samples roundTrip = new Samples();
    Samples send = new Samples();
    try (EmbeddedArtemis broker =
            EmbeddedArtemis.start(
                new EmbeddedArtemis.Settings(
                    Files.createDirectories(scratch), "127.0.0.1", 0, true, "bench", password));
        ArtemisMessageBus bus = ArtemisMessageBus.connect(broker.url(), "bench", password)) {
      bus.createQueue(QUEUE, EntityOptions.DEFAULTS);
      BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
      try (Receiver receiver =
          bus.receive(
              Source.queue(QUEUE),
              ReceiveOptions.ONE_AT_A_TIME,
              message -> arrivals.add(new Arrival(message.messageId(), System.nanoTime())))) {
        byte[] body = "{\"type\":\"job\",\"payload\":{\"n\":0}}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < warmup + messages; i++) {
          String id = "m-" + i;
          long t0 = System.nanoTime();
          bus.send(QUEUE, new OutgoingMessage(id, Map.of("workerId", "bench"), body));
          long sent = System.nanoTime();
          Arrival arrival = arrivals.poll(10, TimeUnit.SECONDS);
          if (arrival == null || !arrival.messageId().equals(id)) {
            throw new IllegalStateException("expected " + id + ", received " + arrival);
          }
          if (i >= warmup) {
            roundTrip.addNanos(arrival.nanos() - t0);
            send.addNanos(sent - t0);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Bench.progress("a: raw Artemis %s", roundTrip.summary());
    return List.of(
        Row.info(
            "a", "raw Artemis durable send → receive p50", Samples.ms(roundTrip.p50()) + " ms"),
        Row.info(
            "a", "raw Artemis durable send → receive p99", Samples.ms(roundTrip.p99()) + " ms"),
        Row.info("a", "  of which send() (blocking durable send)", send.summary()));
  }

  private record Arrival(String messageId, long nanos) {}
}
