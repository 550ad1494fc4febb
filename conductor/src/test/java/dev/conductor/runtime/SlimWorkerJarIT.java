package dev.conductor.runtime;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.home.ConductorHome;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Worker processes on the slim worker jar with a class-data archive, on a real conductor: the first
 * worker runs from the home's copy of the jar and writes the archive when its idle teardown ends
 * it; the next worker starts from that archive; both run their jobs.
 */
class SlimWorkerJarIT {
  private static final Path WORKER_JAR = Path.of("../worker-container/target/conductor-worker.jar");
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @Test
  void workersRunFromTheSlimJarAndLaterOnesStartFromTheFirstOnesClassData() throws Exception {
    assumeTrue(
        Files.isRegularFile(WORKER_JAR),
        "needs " + WORKER_JAR + ", which ./mvnw verify builds before this module's tests");
    Map<String, Object> properties = FastTimers.properties();
    properties.put("conductor.runtime.process.worker-jar", WORKER_JAR.toString());
    try (RunningConductor conductor = RunningConductor.start(properties)) {
      Path home = conductor.server().context().getBean(ConductorHome.class).root();
      String key = conductor.onboard("slim", "dev");

      ProcessHandle first = workerAfterItsJob(conductor, key, "a", home);
      Path copy = Path.of(classPathOf(first));
      assertThat(copy.getParent()).isEqualTo(home.resolve("worker"));
      assertThat(Files.mismatch(copy, WORKER_JAR)).as("a copy of the slim jar").isEqualTo(-1L);
      assertThat(arguments(first)).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));

      // The dev plan's idle timeout (3 s here) ends it; it writes the archive as it exits.
      Path classData = home.resolve(WorkerClassData.DIRECTORY);
      Awaitility.await()
          .atMost(LIMIT)
          .untilAsserted(
              () ->
                  assertThat(Files.list(classData))
                      .singleElement()
                      .satisfies(f -> assertThat(f.toString()).endsWith(".jsa")));
      Path archive;
      try (var files = Files.list(classData)) {
        archive = files.findFirst().orElseThrow();
      }

      ProcessHandle second = workerAfterItsJob(conductor, key, "b", home);
      assertThat(arguments(second)).contains("-XX:SharedArchiveFile=" + archive);
      assertThat(classPathOf(second)).isEqualTo(copy.toString());
    }
  }

  /** Runs an echo job on a new worker for the key; that worker's process, still READY. */
  private static ProcessHandle workerAfterItsJob(
      RunningConductor conductor, String key, String affinityKey, Path home) {
    String id =
        conductor.submitJob(
            key, "{\"type\":\"echo\",\"payload\":{},\"affinityKey\":\"" + affinityKey + "\"}");
    JsonNode done = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    String workerId = done.get("workerId").asText();
    return await(
        () ->
            ProcessWorkerRuntime.processesOf(home).stream()
                .filter(p -> arguments(p).contains(ProcessWorkerRuntime.WORKER_TAG + workerId))
                .findFirst()
                .orElse(null),
        p -> p != null,
        LIMIT);
  }

  private static List<String> arguments(ProcessHandle process) {
    return Arrays.asList(process.info().arguments().orElse(new String[0]));
  }

  /** The worker's CLASSPATH, read from its environment (the runtime sets it there, not in -cp). */
  private static String classPathOf(ProcessHandle process) throws Exception {
    String environ =
        Files.readString(Path.of("/proc/" + process.pid() + "/environ"), StandardCharsets.UTF_8);
    return Arrays.stream(environ.split("\0"))
        .filter(v -> v.startsWith("CLASSPATH="))
        .map(v -> v.substring("CLASSPATH=".length()))
        .findFirst()
        .orElseThrow();
  }
}
