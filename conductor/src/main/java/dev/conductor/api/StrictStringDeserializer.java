package dev.conductor.api;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * A text field takes a JSON string and nothing else: no number, boolean or one-element array
 * quietly turned into text.
 */
@Singleton
public class StrictStringDeserializer implements Deserializer<String> {
  static final String NOT_A_STRING = "must be a JSON string";

  @Override
  public String deserialize(Decoder decoder, DecoderContext context, Argument<? super String> type)
      throws IOException {
    Object value = decoder.decodeArbitrary();
    if (value instanceof String text) {
      return text;
    }
    throw decoder.createDeserializationException(NOT_A_STRING, value);
  }
}
