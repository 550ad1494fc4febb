package dev.conductor.provisioning;

/**
 * The tenant app's registration: which API credential it holds (an id, never the key) and where it
 * submits jobs.
 */
public record AppRegistration(String credentialId, String jobsEndpoint) {}
