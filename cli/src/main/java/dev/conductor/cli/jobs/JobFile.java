package dev.conductor.cli.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.cli.InvalidInputException;
import dev.conductor.cli.Json;
import jakarta.annotation.Nullable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jobs of an NDJSON file, one JSON object per line (blank lines skipped), all checked before
 * any is sent: a line that is not one, or whose fields are unknown or of the wrong JSON type, stops
 * the command with its number (exit 5). What the plan accepts is the server's to say, per job.
 */
final class JobFile {
  private static final ObjectReader STRICT_JSON =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> TEXT_FIELDS =
      Set.of("type", "affinityKey", "idempotencyKey", "location");
  private static final String FIELDS = "type, payload, affinityKey, idempotencyKey, location";

  /** A job of the file: its line number, the request, and the size of its JSON. */
  record Line(int number, SubmitJobRequest job, int bytes) {}

  private JobFile() {}

  /**
   * @param name the file as the user named it, for messages
   * @throws InvalidInputException at the first line that is not a job, or if there is none
   */
  static List<Line> read(String name, BufferedReader reader) {
    List<Line> jobs = new ArrayList<>();
    int number = 0;
    try {
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        number++;
        if (!text.isBlank()) {
          SubmitJobRequest job = parse(name, number, text);
          jobs.add(new Line(number, job, Json.MAPPER.writeValueAsBytes(job).length));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
    if (jobs.isEmpty()) {
      throw new InvalidInputException(
          name + " holds no jobs; write one JSON object per line, e.g. {\"type\": \"echo\"}");
    }
    return jobs;
  }

  private static SubmitJobRequest parse(String name, int number, String text) {
    String where = name + " line " + number + ": ";
    JsonNode node;
    try {
      node = STRICT_JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          where + "not valid JSON (" + e.getOriginalMessage() + "); nothing was sent");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(
          where + "a job is a JSON object with " + FIELDS + "; nothing was sent");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (TEXT_FIELDS.contains(key)) {
        if (!field.getValue().isTextual() && !field.getValue().isNull()) {
          throw new InvalidInputException(
              where + "'" + key + "' must be a JSON string; nothing was sent");
        }
      } else if (!key.equals("payload")) {
        throw new InvalidInputException(
            where + "unknown field '" + key + "'; a job has " + FIELDS + "; nothing was sent");
      }
    }
    return new SubmitJobRequest(
        text(node, "type"),
        node.has("payload") ? node.get("payload") : null,
        text(node, "affinityKey"),
        text(node, "idempotencyKey"),
        text(node, "location"));
  }

  @Nullable
  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
