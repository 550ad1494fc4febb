package dev.conductor.cli.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.InvalidInputException;
import dev.conductor.cli.Json;
import dev.conductor.cli.TenantConnectionOptions;
import jakarta.annotation.Nullable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Submit a job as the tenant's app does; print its id.",
      "With --from-file, submit the jobs of an NDJSON file (one JSON job per line, like"
          + " {\"type\": \"echo\", \"payload\": 1}) in batches of up to 1,000; print each line's"
          + " job id or error and a summary; exit non-zero if any job was refused."
    })
public final class SubmitJobCommand implements Callable<Integer> {

  // Exactly one JSON value: "{} x" is a typo, not an object.
  private static final ObjectReader STRICT_JSON =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Mixin TenantConnectionOptions connection;
  @Mixin JobWaitOption wait;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description = "The job type, one the tenant's plan accepts (built in: echo, sleep, fail).")
  @Nullable
  String type;

  @Option(
      names = "--from-file",
      paramLabel = "FILE",
      description =
          "Submit the jobs of this NDJSON file instead ('-': standard input), each line"
              + " {\"type\", \"payload\", \"affinityKey\", \"idempotencyKey\", \"location\"};"
              + " the whole file is checked before anything is sent.")
  @Nullable
  String fromFile;

  @Option(
      names = "--payload",
      paramLabel = "JSON",
      description =
          "The job's input, any JSON value (default: null), e.g. '{\"ms\": 500}'; text needs JSON"
              + " quotes: '\"hello\"'.")
  @Nullable
  String payload;

  @Option(
      names = "--affinity",
      paramLabel = "KEY",
      description = "Affinity key: jobs with the same key run on workers started for that key.")
  @Nullable
  String affinity;

  @Option(
      names = "--location",
      paramLabel = "NAME",
      description =
          "Where the job must run: one of the locations the tenant's runtime serves (default:"
              + " wherever the runtime starts workers).")
  @Nullable
  String location;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description =
          "Submitting again with the same key returns the first job instead of a new one.")
  @Nullable
  String idempotencyKey;

  @Override
  public Integer call() {
    if (fromFile != null) {
      return submitFile(fromFile);
    }
    if (type == null) {
      throw connection.usageError("Missing required option: '--type=TYPE' (or --from-file FILE)");
    }
    JsonNode input = parsePayload(payload);
    ConductorClient client = connection.client();
    SubmittedJob submitted =
        client.submitJob(new SubmitJobRequest(type, input, affinity, idempotencyKey, location));
    String brief = JobFormat.brief(submitted.id(), submitted.status());
    if (!wait.requested()) {
      PrintWriter out = connection.out();
      out.print(connection.structured() ? connection.render(submitted) : brief + ".\n");
      out.flush();
      return ExitCodes.OK;
    }
    wait.followSubmitted(connection, client, submitted, brief);
    return ExitCodes.OK;
  }

  private int submitFile(String file) {
    if (type != null
        || payload != null
        || affinity != null
        || location != null
        || idempotencyKey != null
        || wait.requested()) {
      throw connection.usageError(
          "--from-file takes each job's fields from the file: --type, --payload, --affinity,"
              + " --location, --idempotency-key and --wait do not go with it");
    }
    List<JobFile.Line> lines;
    if (file.equals("-")) {
      lines =
          JobFile.read(
              "standard input",
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    } else {
      try (BufferedReader reader = Files.newBufferedReader(Path.of(file))) {
        lines = JobFile.read(file, reader);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
      }
    }
    ConductorClient client = connection.client();
    return new FileSubmission(client, connection.out(), connection::render, connection.structured())
        .submit(lines);
  }

  /**
   * @throws InvalidInputException if the text is not exactly one JSON value (exit 5, no request)
   */
  static JsonNode parsePayload(@Nullable String text) {
    if (text == null) {
      return NullNode.instance;
    }
    JsonNode value;
    try {
      value = STRICT_JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "--payload is not valid JSON ("
              + e.getOriginalMessage()
              + "); pass one JSON value, e.g. '{\"ms\": 500}' or '\"hello\"'");
    }
    if (value == null || value.isMissingNode()) {
      throw new InvalidInputException(
          "--payload is empty; pass one JSON value, e.g. '{\"ms\": 500}', or leave it out for null");
    }
    return value;
  }
}
