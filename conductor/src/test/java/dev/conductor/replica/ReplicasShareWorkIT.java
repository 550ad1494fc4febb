package dev.conductor.replica;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two conductor replicas on one PostgreSQL and one broker (the first one's) share the work: jobs
 * submitted to both all succeed, each runs once, and neither replica judges the other's workers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasShareWorkIT {
  private static final Pattern STARTED = Pattern.compile("job started jobId=([0-9a-f-]{36})");

  private RunningConductor first;
  private RunningConductor second;

  @BeforeAll
  void start() {
    Map<String, Object> shared = TwoReplicas.shared();
    first = RunningConductor.start(shared);
    Map<String, Object> other = new HashMap<>(shared);
    other.putAll(first.engines());
    second = RunningConductor.start(other);
  }

  @AfterAll
  void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void jobsSubmittedToTwoReplicasAllSucceedOnceAndNoReplicaLosesTheOthersWorkers() {
    String alpha = first.onboard("alpha", "wide");
    String beta = first.onboard("beta", "wide");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      // Each tenant's jobs through both replicas, so both route and launch workers.
      String echo = "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}";
      ids.add(first.submitJob(alpha, echo));
      ids.add(second.submitJob(alpha, echo));
      ids.add(second.submitJob(beta, echo));
      ids.add(first.submitJob(beta, echo));
    }
    String tenants = "(SELECT id FROM tenants WHERE name IN ('alpha', 'beta'))";

    await(
        () ->
            TwoReplicas.column(
                first,
                "SELECT count(*) FROM jobs WHERE status = 'SUCCEEDED' AND tenant_id IN " + tenants),
        count -> count.equals(List.of("200")),
        Duration.ofSeconds(120));

    assertThat(
            TwoReplicas.column(
                first, "SELECT id FROM jobs WHERE attempts <> 1 AND tenant_id IN " + tenants))
        .as("jobs dispatched more than once")
        .isEmpty();
    assertThat(
            TwoReplicas.column(
                first,
                "SELECT id || ' ' || stop_reason FROM workers WHERE state = 'LOST'"
                    + " AND tenant_id IN "
                    + tenants))
        .as("workers marked LOST")
        .isEmpty();
    Set<String> replicas =
        Set.of(TwoReplicas.replicaOf(first).toString(), TwoReplicas.replicaOf(second).toString());
    List<String> owners =
        TwoReplicas.column(
            first, "SELECT DISTINCT owner_replica FROM workers WHERE tenant_id IN " + tenants);
    assertThat(replicas).as("every worker's owner is one of the replicas").containsAll(owners);
    assertThat(owners).as("both replicas launched workers").hasSize(2);
    Map<String, Integer> runs = executions(first.server().home(), second.server().home());
    assertThat(ids).allSatisfy(id -> assertThat(runs.get(id)).as("runs of job " + id).isEqualTo(1));

    first.offboard("alpha");
    first.offboard("beta");
  }

  /** How often each job started, counted in the workers' logs of both replicas' homes. */
  private static Map<String, Integer> executions(Path... homes) {
    Map<String, Integer> runs = new HashMap<>();
    for (Path home : homes) {
      Path logs = home.resolve("workers");
      if (!Files.isDirectory(logs)) {
        continue;
      }
      try (Stream<Path> files = Files.list(logs)) {
        for (Path log : files.toList()) {
          Matcher started = STARTED.matcher(Files.readString(log));
          while (started.find()) {
            runs.merge(started.group(1), 1, Integer::sum);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return runs;
  }
}
