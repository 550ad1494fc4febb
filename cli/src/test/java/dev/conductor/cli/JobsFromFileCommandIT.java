package dev.conductor.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conductor jobs submit --from-file} against a real conductor whose jobs run on real worker
 * processes: what it prints and exits with, checked against what the server then holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsFromFileCommandIT {
  private static final Pattern ACCEPTED =
      Pattern.compile("^line (\\d+): ([0-9a-f-]{36}) (QUEUED|SUCCEEDED|RUNNING|DISPATCHED)");

  @TempDir Path home;
  @TempDir Path files;
  private RunningConductor conductor;
  private Map<String, String> env;

  @BeforeAll
  void start() {
    // The dev plan's payload limit, lowered so that a small payload is over it.
    conductor = LiveConductor.start(Map.of("conductor.plans.dev.max-payload-bytes", 64));
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @BeforeEach
  void environment() {
    env = LiveConductor.environment(conductor, home);
  }

  @Test
  void everyLineIsSubmittedPrintedAndRun() throws IOException {
    TenantApp app = TenantApp.onboard(conductor, "cli-file", "dev");
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    Path file =
        write(
            "{\"type\": \"echo\", \"payload\": {\"n\": 1}}",
            "",
            "{\"type\": \"echo\", \"payload\": {\"n\": 3}, \"affinityKey\": \"proxy-eu\"}",
            "{\"type\": \"echo\", \"payload\": 4, \"idempotencyKey\": \"file-4\"}");

    CliRun run = CliRun.execute(env, "jobs", "submit", "--from-file", file.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(4);
    List<String> ids = new ArrayList<>();
    int[] numbers = {1, 3, 4};
    for (int i = 0; i < 3; i++) {
      Matcher accepted = ACCEPTED.matcher(lines.get(i));
      assertThat(accepted.find()).as(lines.get(i)).isTrue();
      assertThat(accepted.group(1)).isEqualTo(String.valueOf(numbers[i]));
      ids.add(accepted.group(2));
    }
    assertThat(lines.get(3)).isEqualTo("3 jobs sent: 3 accepted (0 replayed), 0 refused.");
    assertThat(run.err()).isEmpty();
    JsonNode first = app.awaitEnded(ids.get(0));
    assertThat(first.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(first.get("result").get("n").asInt()).isEqualTo(1);
    JsonNode keyed = app.awaitEnded(ids.get(1));
    assertThat(keyed.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(keyed.get("affinityKey").asText()).isEqualTo("proxy-eu");
    assertThat(app.awaitEnded(ids.get(2)).get("result").asInt()).isEqualTo(4);

    // The keyed line again is a replay of its job; --output json prints the server's results.
    Path again = write("{\"type\": \"echo\", \"payload\": 4, \"idempotencyKey\": \"file-4\"}");
    CliRun replay =
        CliRun.execute(env, "jobs", "submit", "--from-file", again.toString(), "--output", "json");
    assertThat(replay.exitCode()).as(replay.toString()).isZero();
    JsonNode answer = Json.parse(replay.out());
    assertThat(answer.get("accepted").asInt()).isEqualTo(1);
    JsonNode result = answer.get("results").get(0);
    assertThat(result.get("line").asInt()).isEqualTo(1);
    assertThat(result.get("id").asText()).isEqualTo(ids.get(2));
    assertThat(result.get("replayed").asBoolean()).isTrue();
  }

  @Test
  void aMalformedLineIsNamedAndNothingIsSent() throws IOException {
    TenantApp app = TenantApp.onboard(conductor, "cli-file-bad", "dev");
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    Path broken =
        write("{\"type\": \"echo\"}", "{\"type\": \"echo\", \"payload\": ", "{\"type\": \"echo\"}");
    Path mistyped = write("{\"type\": \"echo\"}", "{\"type\": \"echo\", \"affinity\": \"eu\"}");
    Path notAnObject = write("{\"type\": \"echo\"}", "", "[\"echo\"]");

    CliRun run = CliRun.execute(env, "jobs", "submit", "--from-file", broken.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: " + broken + " line 2: not valid JSON (")
        .endsWith("; nothing was sent");
    assertThat(run.out()).isEmpty();

    run = CliRun.execute(env, "jobs", "submit", "--from-file", mistyped.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + mistyped
                + " line 2: unknown field 'affinity'; a job has type, payload, affinityKey,"
                + " idempotencyKey, location; nothing was sent\n");

    run = CliRun.execute(env, "jobs", "submit", "--from-file", notAnObject.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(run.err()).startsWith("error: " + notAnObject + " line 3: a job is a JSON object");

    assertThat(
            Json.parse(conductor.send(conductor.tenant(app.apiKey(), "/v1/jobs").GET()).body())
                .get("items")
                .size())
        .isZero();
  }

  @Test
  void aRefusedJobIsPrintedOnItsLineAndTheExitIsNonZero() throws IOException {
    TenantApp app = TenantApp.onboard(conductor, "cli-file-refused", "dev");
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    Path file =
        write(
            "{\"type\": \"echo\", \"payload\": 1}",
            "{\"type\": \"launch-missiles\"}",
            "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(100) + "\"}");

    CliRun run = CliRun.execute(env, "jobs", "submit", "--from-file", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(4);
    Matcher accepted = ACCEPTED.matcher(lines.get(0));
    assertThat(accepted.find()).as(lines.get(0)).isTrue();
    String unknownType =
        "line 2: refused (422): unknown job type 'launch-missiles'; this tenant's workers run:"
            + " echo, sleep, fail";
    assertThat(lines.get(1)).isEqualTo(unknownType);
    assertThat(lines.get(2))
        .isEqualTo("line 3: refused (413): payload is 102 bytes; plan dev allows 64");
    assertThat(lines.get(3)).isEqualTo("3 jobs sent: 1 accepted (0 replayed), 2 refused.");
    assertThat(run.err()).isEqualTo("error: 2 of 3 jobs refused; the first, " + unknownType + "\n");
    assertThat(app.awaitEnded(accepted.group(2)).get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aDashReadsTheJobsFromStandardInput() {
    TenantApp app = TenantApp.onboard(conductor, "cli-file-stdin", "dev");
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    InputStream stdin = System.in;
    CliRun run;
    CliRun broken;
    try {
      System.setIn(
          new ByteArrayInputStream("{\"type\": \"echo\", \"payload\": 7}\n".getBytes(UTF_8)));
      run = CliRun.execute(env, "jobs", "submit", "--from-file", "-");
      System.setIn(new ByteArrayInputStream("\n{\"type\": 7}\n".getBytes(UTF_8)));
      broken = CliRun.execute(env, "jobs", "submit", "--from-file", "-");
    } finally {
      System.setIn(stdin);
    }

    assertThat(run.exitCode()).as(run.toString()).isZero();
    Matcher accepted = ACCEPTED.matcher(run.out());
    assertThat(accepted.find()).as(run.out()).isTrue();
    assertThat(app.awaitEnded(accepted.group(2)).get("result").asInt()).isEqualTo(7);
    assertThat(broken.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(broken.err())
        .isEqualTo(
            "error: standard input line 2: 'type' must be a JSON string; nothing was sent\n");
  }

  @Test
  void fromFileTakesNoFieldsOfASingleJob() throws IOException {
    Path file = write("{\"type\": \"echo\"}");
    env.put("CONDUCTOR_API_KEY", "ck_unused");

    CliRun run =
        CliRun.execute(env, "jobs", "submit", "--from-file", file.toString(), "--type", "echo");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: --from-file takes each job's fields from the file");
  }

  private Path write(String... lines) throws IOException {
    Path file = Files.createTempFile(files, "jobs", ".ndjson");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }
}
