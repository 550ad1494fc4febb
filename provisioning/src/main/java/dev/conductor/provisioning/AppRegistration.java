package dev.conductor.provisioning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant app's registration: which API credential it holds (an id, never the key) and where it
 * submits jobs.
 */
public record AppRegistration(String credentialId, String jobsEndpoint) {

  /** The identifiers of the {@code app} resource every adapter reports, before any extras. */
  public Map<String, String> identifiers() {
    Map<String, String> identifiers = new LinkedHashMap<>();
    identifiers.put("credentialId", credentialId);
    identifiers.put("jobsEndpoint", jobsEndpoint);
    return identifiers;
  }
}
