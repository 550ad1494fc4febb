package dev.conductor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.conductor.api.client.ApiJson;
import jakarta.annotation.Nullable;

public final class Json {

  /** The API's JSON, the same mapper the client reads it with. */
  public static final ObjectMapper MAPPER = ApiJson.mapper();

  // For --output json.
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Json() {}

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads one of the API's records from its JSON text. */
  public static <T> T read(String text, Class<T> type) {
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** An API record or a tree, as the server wrote it, indented. */
  public static String pretty(@Nullable Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The field's text, or null when it is absent or JSON null. */
  @Nullable
  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A value for display: its text, or "-" when it is absent or empty. */
  public static String display(@Nullable Object value) {
    String text = value == null ? null : value.toString();
    return text == null || text.isEmpty() ? "-" : text;
  }
}
