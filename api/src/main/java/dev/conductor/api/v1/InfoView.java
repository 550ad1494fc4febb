package dev.conductor.api.v1;

/** {@code GET /info}: which Conductor answers and the API version it speaks. */
public record InfoView(String name, String version, String api) {}
