package dev.conductor.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lanes as routing passes use them: a tenant whose task is held (a slow pass) delays only its own
 * later tasks; another tenant's run meanwhile, and each tenant's run in the order given.
 */
class TenantLanesTest {
  private static final UUID A = UUID.randomUUID();
  private static final UUID B = UUID.randomUUID();
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final TenantLanes lanes = new TenantLanes(executor);
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aHeldTenantDelaysOnlyItsOwnLaterTasks() throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    lanes.execute(
        A,
        () -> {
          held.countDown();
          awaitQuietly(release);
          ran.add("a1");
        });
    lanes.execute(A, () -> ran.add("a2"));
    held.await();

    lanes.execute(B, () -> ran.add("b1"));
    lanes.execute(B, () -> ran.add("b2"));

    await().atMost(LIMIT).until(() -> ran.size() == 2);
    assertThat(ran).as("B's tasks ran while A's first is held").containsExactly("b1", "b2");
    release.countDown();
    assertThat(lanes.awaitIdle(LIMIT)).isTrue();
    assertThat(ran).as("A's in the order given, after B's").containsExactly("b1", "b2", "a1", "a2");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
