package dev.conductor.api.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The API's JSON as clients read and write it: what the server writes, in the same shape. */
public final class ApiJson {

  /** One per process: building a mapper is a good part of a CLI command's start. */
  private static final ObjectMapper MAPPER = create();

  private ApiJson() {}

  /**
   * The shared mapper (configured once, do not change it): ISO-8601 instants, absent optional
   * fields left out as the server does, and fields a newer server added ignored.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper create() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }
}
