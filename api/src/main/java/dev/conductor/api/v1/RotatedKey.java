package dev.conductor.api.v1;

/** A tenant's new API key, shown once. */
public record RotatedKey(String name, String apiKey, String credentialId) {}
