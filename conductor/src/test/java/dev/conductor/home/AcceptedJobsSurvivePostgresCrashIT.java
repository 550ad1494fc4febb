package dev.conductor.home;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the OOM killer does to PostgreSQL under load: backends SIGKILLed during a burst of job
 * submissions, PostgreSQL crash-restarts. Every job the API answered 202 for must still be there.
 */
class AcceptedJobsSurvivePostgresCrashIT {
  private static final int JOBS = 2_000;
  // Bounds the loop when most answers are refusals.
  private static final int MAX_ATTEMPTS = 20_000;
  private static final int SUBMITTERS = 4;
  private static final int KILLS = 3;
  private static final Duration BURST_LIMIT = Duration.ofSeconds(90);

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyAcceptedJobIsReadableAfterBackendsAreKilled() throws Exception {
    // One worker is enough: the test is about the database, not about running jobs; the plan's
    // submit rate and queued-jobs quota are lifted so that the burst is as fast as the API allows.
    try (RunningConductor conductor =
        RunningConductor.start(
            Map.of(
                "conductor.plans.dev.max-workers-per-tenant", 1,
                "conductor.plans.dev.submit-rate", 1_000_000,
                "conductor.plans.dev.submit-burst", 1_000_000,
                "conductor.plans.dev.max-queued-jobs", 1_000_000))) {
      String key = conductor.onboard("durable", "dev");
      ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
      AtomicInteger attempts = new AtomicInteger();
      Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
      Instant deadline = Instant.now().plus(BURST_LIMIT);
      ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
      for (int t = 0; t < SUBMITTERS; t++) {
        submitters.submit(
            () -> {
              while (accepted.size() < JOBS
                  && attempts.incrementAndGet() <= MAX_ATTEMPTS
                  && Instant.now().isBefore(deadline)) {
                try {
                  HttpResponse<String> response =
                      conductor.postJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
                  answers
                      .computeIfAbsent(response.statusCode(), status -> new AtomicInteger())
                      .incrementAndGet();
                  if (response.statusCode() == 202) {
                    accepted.add(Json.parse(response.body()).get("id").asText());
                  } else {
                    // 503 while PostgreSQL restarts: back off as a client would, not spin.
                    Thread.sleep(100);
                  }
                } catch (RuntimeException refusedWhileRestarting) {
                  // Not accepted, so not owed: only 202s count.
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
      }
      Path data = conductor.server().home().resolve("postgres");
      int kills = 0;
      while (kills < KILLS && Instant.now().isBefore(deadline)) {
        // A kill every 200 accepted jobs, so each lands in the middle of the burst.
        int before = accepted.size();
        while (accepted.size() < before + 200 && Instant.now().isBefore(deadline)) {
          Thread.sleep(20);
        }
        if (Instant.now().isBefore(deadline) && killOneBackend(data)) {
          kills++;
        }
      }
      submitters.shutdown();
      assertThat(submitters.awaitTermination(BURST_LIMIT.toSeconds() + 30, TimeUnit.SECONDS))
          .isTrue();
      assertThat(kills).as("backends killed (answers by status: %s)", answers).isEqualTo(KILLS);

      // After recovery every accepted job is readable by its tenant.
      List<String> ids = List.copyOf(accepted);
      RunningConductor.await(
          () -> conductor.send(conductor.tenant(key, "/v1/jobs/" + ids.get(0)).GET()).statusCode(),
          status -> status != 500 && status != 503,
          Duration.ofSeconds(60));
      List<String> lost =
          ids.stream()
              .filter(
                  id ->
                      conductor.send(conductor.tenant(key, "/v1/jobs/" + id).GET()).statusCode()
                          == 404)
              .toList();
      assertThat(lost)
          .as("accepted jobs lost after %d backend kills (of %d accepted)", kills, ids.size())
          .isEmpty();
      conductor.offboard("durable");
    }
  }

  /** SIGKILLs one child of the postmaster, as the OOM killer would; PostgreSQL crash-restarts. */
  private static boolean killOneBackend(Path data) throws Exception {
    long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0));
    List<ProcessHandle> children =
        ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of());
    if (children.isEmpty()) {
      return false;
    }
    long pid = children.get(children.size() - 1).pid();
    return new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor() == 0;
  }
}
