package dev.conductor.api.v1;

/** The answer to an onboarding: the only time the API key is shown. */
public record CreatedTenant(
    String name, String plan, String status, String apiKey, String operationId) {}
