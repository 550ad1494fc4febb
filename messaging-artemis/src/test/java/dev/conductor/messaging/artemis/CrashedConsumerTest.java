package dev.conductor.messaging.artemis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.Inbox;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.Source;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker process killed mid-job: its messages must come back to another consumer. */
class CrashedConsumerTest {
  private static final String USER = "conductor";
  private static final String PASSWORD = "crash-secret";

  @TempDir static Path data;
  private static EmbeddedArtemis broker;

  @BeforeAll
  static void startBroker() {
    broker =
        EmbeddedArtemis.start(
            new EmbeddedArtemis.Settings(data, "127.0.0.1", 0, false, USER, PASSWORD));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void messageOfAKilledProcessIsRedelivered() throws Exception {
    try (MessageBus bus = ArtemisMessageBus.connect(broker.url(), USER, PASSWORD)) {
      bus.createQueue("crash-jobs", EntityOptions.DEFAULTS);
      bus.send("crash-jobs", new OutgoingMessage("job-7:1", Map.of(), new byte[] {1}));
      Process child = startConsumer("crash-jobs");
      try {
        assertThat(awaitMarker(child, Duration.ofSeconds(30))).isEqualTo("job-7:1");
      } finally {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }

      Inbox inbox = Inbox.recording();
      try (Receiver ignored =
          bus.receive(Source.queue("crash-jobs"), ReceiveOptions.ONE_AT_A_TIME, inbox)) {
        Inbox.Delivery again = inbox.next();
        assertThat(again.messageId()).isEqualTo("job-7:1");
        assertThat(again.deliveryCount()).isEqualTo(2);
      }
    }
  }

  /**
   * A worker killed while completing a stream of messages with pipelined completion: every message
   * is either completed once, or delivered again (at-least-once: one whose completion was on its
   * way when the process died may come back too); none is lost, none comes back twice.
   */
  @Test
  void killedMidStreamWithPipelinedCompletionLosesNothing() throws Exception {
    try (MessageBus bus = ArtemisMessageBus.connect(broker.url(), USER, PASSWORD)) {
      bus.createQueue("crash-stream", EntityOptions.DEFAULTS);
      Set<String> sent = new LinkedHashSet<>();
      for (int i = 0; i < 300; i++) {
        sent.add("job-" + i + ":1");
        bus.send("crash-stream", new OutgoingMessage("job-" + i + ":1", Map.of(), new byte[] {1}));
      }
      Set<String> completed = ConcurrentHashMap.newKeySet();
      Process child = startConsumer("crash-stream", "pipelined");
      CompletableFuture<Void> output = readCompletions(child, completed);
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> completed.size() >= 50);
      } finally {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      output.get(10, TimeUnit.SECONDS);
      assertThat(completed.size()).isLessThan(sent.size());

      Set<String> missing = new HashSet<>(sent);
      missing.removeAll(completed);
      Map<String, Integer> delivered = new ConcurrentHashMap<>();
      try (Receiver ignored =
          bus.receive(
              Source.queue("crash-stream"),
              new ReceiveOptions(4),
              message -> delivered.merge(message.messageId(), 1, Integer::sum))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered.keySet().containsAll(missing));
      }
      assertThat(delivered.keySet()).isSubsetOf(sent);
      assertThat(delivered.values()).allMatch(times -> times == 1);
    }
  }

  private static CompletableFuture<Void> readCompletions(Process child, Set<String> completed) {
    return CompletableFuture.runAsync(
        () -> {
          try (BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
              int at = line.indexOf(CrashingConsumer.COMPLETED);
              if (at >= 0) {
                completed.add(line.substring(at + CrashingConsumer.COMPLETED.length()).trim());
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static Process startConsumer(String queue, String... mode) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            CrashingConsumer.class.getName(),
            broker.url(),
            queue);
    builder.command().addAll(List.of(mode));
    builder.environment().put("BUS_USER", USER);
    builder.environment().put("BUS_PASSWORD", PASSWORD);
    builder.redirectErrorStream(true);
    return builder.start();
  }

  /** The message id the child announces, reading its output off the test thread. */
  private static String awaitMarker(Process child, Duration timeout) throws Exception {
    CompletableFuture<String> marker =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  int at = line.indexOf(CrashingConsumer.MARKER);
                  if (at >= 0) {
                    return line.substring(at + CrashingConsumer.MARKER.length()).trim();
                  }
                }
                throw new IllegalStateException("consumer exited: " + child.waitFor());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    return marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
