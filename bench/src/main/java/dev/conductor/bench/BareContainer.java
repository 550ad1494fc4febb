package dev.conductor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (f)'s yardstick: a bare {@code docker run --rm --network host <base image> true} (create, start,
 * exit, remove, through the docker command as a user would type it), timed as often as (f) starts a
 * worker, so a container worker's cold start can be read as a ratio of what any container costs on
 * this engine. Also removes what the docker runtime leaves for a home by design (its class-data
 * volume) once the run is over.
 */
final class BareContainer {
  static final String BASE_IMAGE = "conductor-jre:17";

  private final String image;
  private final int runs;

  BareContainer(String image, int runs) {
    this.image = image;
    this.runs = runs;
  }

  List<Row> run(double workerColdStartP50) {
    Samples bare = new Samples();
    for (int run = 0; run < runs; run++) {
      long t0 = System.nanoTime();
      docker("run", "--rm", "--network", "host", image, "true");
      bare.addNanos(System.nanoTime() - t0);
    }
    Bench.progress("f: bare docker run p50 %.0f ms", bare.p50());
    return List.of(
        Row.info("f", "bare `docker run --rm " + image + " true`", bare.summary()),
        Row.info(
            "f",
            "worker cold start p50 / bare docker run p50",
            String.format("%.1f×", workerColdStartP50 / bare.p50())));
  }

  /** The class-data volumes the docker runtime made for this home. */
  static void removeVolumesOf(Path home) {
    String names =
        docker("volume", "ls", "-q", "--filter", "label=dev.conductor.home=" + home).strip();
    for (String name : names.split("\\s+")) {
      if (!name.isEmpty()) {
        docker("volume", "rm", name);
      }
    }
  }

  private static String docker(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }
}
