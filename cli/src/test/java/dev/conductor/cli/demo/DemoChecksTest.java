package dev.conductor.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoChecksTest {

  private static final List<WorkerView> WORKERS =
      workers(
          """
          [{"id":"w-eu","affinityKey":"proxy-eu","state":"STOPPED","stopReason":"idle"},
           {"id":"w-us","affinityKey":"proxy-us","state":"STOPPED","stopReason":"idle"},
           {"id":"w-spare","affinityKey":"proxy-us","state":"LOST","stopReason":"heartbeat"}]
          """);

  @Test
  void everyJobSucceededOnAWorkerOfItsKey() {
    List<JobView> jobs =
        jobs(
            """
            [{"id":"j1","status":"SUCCEEDED","affinityKey":"proxy-eu","workerId":"w-eu"},
             {"id":"j2","status":"SUCCEEDED","affinityKey":"proxy-us","workerId":"w-us"}]
            """);

    DemoChecks.Verdict verdict = DemoChecks.jobs(jobs, WORKERS, 2);

    assertThat(verdict.ok()).isTrue();
    assertThat(verdict.text())
        .isEqualTo("ok: 2/2 jobs SUCCEEDED, each on a worker started for its own affinity key");
    assertThat(DemoChecks.jobsByWorker(jobs, WORKERS))
        .isEqualTo(
            """
            WORKER   WORKER KEY  JOBS  KEYS OF ITS JOBS
            w-eu     proxy-eu    1     proxy-eu
            w-us     proxy-us    1     proxy-us
            w-spare  proxy-us    0     -
            """);
  }

  @Test
  void aJobOnAnotherKeysWorkerOrNotSucceededFailsTheCheck() {
    List<JobView> jobs =
        jobs(
            """
            [{"id":"j1","status":"SUCCEEDED","affinityKey":"proxy-eu","workerId":"w-us"},
             {"id":"j2","status":"FAILED","affinityKey":"proxy-us","workerId":"w-us",
              "error":"boom"},
             {"id":"j3","status":"QUEUED","affinityKey":"proxy-us"}]
            """);

    DemoChecks.Verdict verdict = DemoChecks.jobs(jobs, WORKERS, 4);

    assertThat(verdict.ok()).isFalse();
    assertThat(verdict.text())
        .isEqualTo(
            "FAILED: 4 jobs submitted but 3 listed; 2 did not succeed: j2 FAILED (boom), j3 QUEUED;"
                + " 2 not on a worker of their key: j1 (key proxy-eu) ran on worker w-us (key"
                + " proxy-us), j3 ran on no known worker");
  }

  @Test
  void workersMustAllHaveEnded() {
    assertThat(DemoChecks.workersEnded(WORKERS))
        .isEqualTo(
            new DemoChecks.Verdict(
                true, "ok: 3/3 workers ended, 2 stopped by their idle teardown, 1 LOST"));

    DemoChecks.Verdict live =
        DemoChecks.workersEnded(
            workers(
                "[{\"id\":\"w\",\"state\":\"DRAINING\"},{\"id\":\"v\",\"state\":\"STOPPED\"}]"));
    assertThat(live.ok()).isFalse();
    assertThat(live.text()).isEqualTo("FAILED: 1 of 2 workers still live: w (DRAINING)");

    assertThat(DemoChecks.workersEnded(workers("[]")).ok()).isFalse();
  }

  @Test
  void commandsAreEchoedAsTheyWouldBeTypedInAShell() {
    assertThat(
            Walkthrough.shellWords(
                "jobs", "submit", "--payload", "{\"ms\":800}", "--affinity", "proxy-eu", "it's"))
        .isEqualTo("jobs submit --payload '{\"ms\":800}' --affinity proxy-eu 'it'\\''s'");
  }

  private static List<WorkerView> workers(String json) {
    return List.of(Json.read(json, WorkerView[].class));
  }

  private static List<JobView> jobs(String json) {
    return List.of(Json.read(json, JobView[].class));
  }
}
