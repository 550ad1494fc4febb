package dev.conductor.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.ServerUnreachableException;
import dev.conductor.api.v1.JobView;
import dev.conductor.cli.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class JobWaiterTest {

  private final Deque<Supplier<JobView>> answers = new ArrayDeque<>();
  private final List<Duration> polls = new ArrayList<>();
  private final List<Duration> pauses = new ArrayList<>();
  private final List<String> progress = new ArrayList<>();
  private final JobWaiter waiter =
      new JobWaiter(
          (id, wait) -> {
            polls.add(wait);
            return answers.removeFirst().get();
          },
          pauses::add,
          job -> progress.add(JobFormat.progress(job)));

  @Test
  void anEndedJobIsReturnedWithoutAsking() {
    JobView ended = job("SUCCEEDED", null);

    assertThat(waiter.await("j", ended)).isSameAs(ended);
    assertThat(polls).isEmpty();
  }

  @Test
  void longPollsUntilTheStatusIsFinal() {
    answer(job("DISPATCHED", "w"));
    answer(job("RUNNING", "w"));
    answer(job("RUNNING", "w"));
    answer(job("FAILED", "w"));

    JobView ended = waiter.await("j", job("QUEUED", null));

    assertThat(ended.status()).isEqualTo("FAILED");
    assertThat(polls).hasSize(4).containsOnly(Duration.ofSeconds(30));
    assertThat(pauses).hasSize(3).containsOnly(JobWaiter.PAUSE);
    assertThat(progress)
        .containsExactly("job j is DISPATCHED on worker w", "job j is RUNNING on worker w");
  }

  @Test
  void aSubmittedJobReportsOnlyWhatChangedSinceItsSubmission() {
    answer(job("QUEUED", null, 0));
    answer(job("DISPATCHED", "w"));
    answer(job("SUCCEEDED", "w"));

    JobView ended = waiter.awaitSubmitted("j", "QUEUED");

    assertThat(ended.status()).isEqualTo("SUCCEEDED");
    assertThat(progress).containsExactly("job j is DISPATCHED on worker w");
  }

  @Test
  void aSubmissionThatHadAlreadyEndedIsFetchedAsItEnded() {
    JobView ended = job("SUCCEEDED", "w");
    answer(ended);

    assertThat(waiter.awaitSubmitted("j", "SUCCEEDED")).isSameAs(ended);
    assertThat(polls).hasSize(1);
    assertThat(progress).isEmpty();
  }

  @Test
  void cancelledCountsAsEnded() {
    answer(job("CANCELLED", null));

    assertThat((waiter.await("j", null)).status()).isEqualTo("CANCELLED");
    assertThat(progress).isEmpty();
  }

  @Test
  void aRetryOnAnotherWorkerIsProgress() {
    answer(job("RUNNING", "w2", 2));
    answer(job("SUCCEEDED", "w2", 2));

    waiter.await("j", job("RUNNING", "w1"));

    assertThat(progress).containsExactly("job j is RUNNING on worker w2 (attempt 2)");
  }

  @Test
  void ridesOutAShortOutage() {
    for (int i = 0; i < JobWaiter.MAX_CONSECUTIVE_FAILURES - 1; i++) {
      answers.add(
          () -> {
            throw unreachable();
          });
    }
    answer(job("SUCCEEDED", "w"));

    assertThat((waiter.await("j", null)).status()).isEqualTo("SUCCEEDED");
    assertThat(pauses).containsOnly(JobWaiter.RETRY_PAUSE);
  }

  @Test
  void givesUpWhenTheServerStaysUnreachable() {
    for (int i = 0; i < JobWaiter.MAX_CONSECUTIVE_FAILURES; i++) {
      answers.add(
          () -> {
            throw unreachable();
          });
    }

    assertThatThrownBy(() -> waiter.await("j", null))
        .isInstanceOf(ServerUnreachableException.class);
  }

  @Test
  void aRefusedLongPollWaitsRetryAfterAndAsksAgain() {
    answers.add(
        () -> {
          throw new ApiException(429, "too many waits", Duration.ofSeconds(3));
        });
    answers.add(
        () -> {
          throw new ApiException(429, "too many waits", null);
        });
    answer(job("SUCCEEDED", "w"));

    assertThat((waiter.await("j", job("RUNNING", "w"))).status()).isEqualTo("SUCCEEDED");
    assertThat(pauses).containsExactly(Duration.ofSeconds(3), JobWaiter.BUSY_PAUSE);
    assertThat(polls).hasSize(3);
  }

  @Test
  void otherRefusalsEndTheWait() {
    answers.add(
        () -> {
          throw new ApiException(404, "job 'j' not found");
        });

    assertThatThrownBy(() -> waiter.await("j", null))
        .isInstanceOf(ApiException.class)
        .hasMessage("job 'j' not found");
  }

  private void answer(JobView job) {
    answers.add(() -> job);
  }

  private static JobView job(String status, String worker) {
    return job(status, worker, 1);
  }

  private static JobView job(String status, String worker, int attempts) {
    return Json.read(
        "{\"id\":\"j\",\"status\":\""
            + status
            + "\""
            + (worker == null ? "" : ",\"workerId\":\"" + worker + "\"")
            + ",\"attempts\":"
            + attempts
            + "}",
        JobView.class);
  }

  private static ServerUnreachableException unreachable() {
    return new ServerUnreachableException(URI.create("http://h:1"), "connection refused", null);
  }
}
