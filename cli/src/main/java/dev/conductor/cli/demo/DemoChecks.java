package dev.conductor.cli.demo;

import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** What the demo proves, computed from the job and worker listings of the API. */
final class DemoChecks {

  /** A check's outcome and the line that says it. */
  record Verdict(boolean ok, String text) {}

  private DemoChecks() {}

  /**
   * Every job SUCCEEDED on a worker started for the job's own affinity key.
   *
   * @param jobs the tenant's jobs (items of {@code GET /v1/jobs})
   * @param workers the tenant's workers, ended ones included
   */
  static Verdict jobs(List<JobView> jobs, List<WorkerView> workers, int expected) {
    Map<String, WorkerView> byId = workersById(workers);
    List<String> unsuccessful = new ArrayList<>();
    List<String> misrouted = new ArrayList<>();
    for (JobView job : jobs) {
      String id = Json.display(job.id());
      String status = Json.display(job.status());
      if (!"SUCCEEDED".equals(status)) {
        String error = job.error();
        unsuccessful.add(id + " " + status + (error == null ? "" : " (" + error + ")"));
      }
      String workerId = job.workerId();
      WorkerView worker = workerId == null ? null : byId.get(workerId);
      if (worker == null) {
        misrouted.add(id + " ran on no known worker");
      } else if (!Objects.equals(job.affinityKey(), worker.affinityKey())) {
        misrouted.add(
            id
                + " (key "
                + Json.display(job.affinityKey())
                + ") ran on worker "
                + workerId
                + " (key "
                + Json.display(worker.affinityKey())
                + ")");
      }
    }
    List<String> problems = new ArrayList<>();
    if (jobs.size() != expected) {
      problems.add(expected + " jobs submitted but " + jobs.size() + " listed");
    }
    if (!unsuccessful.isEmpty()) {
      problems.add(unsuccessful.size() + " did not succeed: " + String.join(", ", unsuccessful));
    }
    if (!misrouted.isEmpty()) {
      problems.add(
          misrouted.size() + " not on a worker of their key: " + String.join(", ", misrouted));
    }
    if (problems.isEmpty()) {
      return new Verdict(
          true,
          "ok: "
              + jobs.size()
              + "/"
              + expected
              + " jobs SUCCEEDED, each on a worker started for its own affinity key");
    }
    return new Verdict(false, "FAILED: " + String.join("; ", problems));
  }

  /** Which jobs each worker ran: WORKER, its KEY, how many JOBS, and the keys of those jobs. */
  static String jobsByWorker(List<JobView> jobs, List<WorkerView> workers) {
    Map<String, List<JobView>> ran = new LinkedHashMap<>();
    for (WorkerView worker : workers) {
      ran.put(Json.display(worker.id()), new ArrayList<>());
    }
    for (JobView job : jobs) {
      ran.computeIfAbsent(Json.display(job.workerId()), id -> new ArrayList<>()).add(job);
    }
    Map<String, WorkerView> byId = workersById(workers);
    Table table = new Table("WORKER", "WORKER KEY", "JOBS", "KEYS OF ITS JOBS");
    ran.forEach(
        (workerId, itsJobs) -> {
          TreeSet<String> keys = new TreeSet<>();
          itsJobs.forEach(job -> keys.add(Json.display(job.affinityKey())));
          WorkerView worker = byId.get(workerId);
          table.row(
              workerId,
              worker == null ? "?" : Json.display(worker.affinityKey()),
              Integer.toString(itsJobs.size()),
              keys.isEmpty() ? "-" : String.join(", ", keys));
        });
    return table.render();
  }

  /** Every worker ended; says how many were stopped by their idle teardown. */
  static Verdict workersEnded(List<WorkerView> workers) {
    List<String> live = new ArrayList<>();
    int lost = 0;
    int idle = 0;
    for (WorkerView worker : workers) {
      String state = Json.display(worker.state());
      switch (state) {
        case "STOPPED" -> {
          if ("idle".equals(worker.stopReason())) {
            idle++;
          }
        }
        case "LOST" -> lost++;
        default -> live.add(Json.display(worker.id()) + " (" + state + ")");
      }
    }
    int total = workers.size();
    if (total == 0) {
      return new Verdict(false, "FAILED: no worker was started");
    }
    if (!live.isEmpty()) {
      return new Verdict(
          false,
          "FAILED: "
              + live.size()
              + " of "
              + total
              + " workers still live: "
              + String.join(", ", live));
    }
    return new Verdict(
        true,
        "ok: "
            + total
            + "/"
            + total
            + " workers ended, "
            + idle
            + " stopped by their idle teardown"
            + (lost == 0 ? "" : ", " + lost + " LOST"));
  }

  private static Map<String, WorkerView> workersById(List<WorkerView> workers) {
    Map<String, WorkerView> byId = new HashMap<>();
    for (WorkerView worker : workers) {
      byId.put(Json.display(worker.id()), worker);
    }
    return byId;
  }
}
