package dev.conductor.runtime.aca;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.appcontainers.ContainerAppsApiManager;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A client of Azure Resource Manager's Container Apps API (azure-resourcemanager-appcontainers) at
 * the configured endpoint. Its pipeline retries throttling (429, honouring Retry-After) and
 * transient failures (408, 5xx, I/O) {@code retries} times with exponential back-off.
 */
final class ContainerAppsArm {
  static final String PUBLIC_CLOUD = "https://management.azure.com/";
  // Long-running ARM operations (a job update, an execution's start or stop) are polled this often.
  private static final Duration OPERATION_POLL = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(60);

  private ContainerAppsArm() {}

  static ContainerAppsApiClient connect(
      AcaRuntimeSettings settings, TokenCredential credential, HttpClient http) {
    AzureProfile profile = new AzureProfile(null, settings.subscription(), environment(settings));
    RetryOptions retry = retryOptions(settings);
    return ContainerAppsApiManager.configure()
        .withHttpClient(http)
        .withRetryOptions(retry)
        // Headers only: a job update's body holds secret values.
        .withLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE))
        .withDefaultPollInterval(OPERATION_POLL)
        .authenticate(credential, profile)
        .serviceClient();
  }

  /**
   * The Azure cloud whose Resource Manager is at the endpoint (public, China, US Government), which
   * also sets the token's scope; any other endpoint (a stand-in) on the public cloud's sign-in.
   */
  private static AzureEnvironment environment(AcaRuntimeSettings settings) {
    String endpoint =
        settings.endpoint().endsWith("/") ? settings.endpoint() : settings.endpoint() + "/";
    for (AzureEnvironment known : AzureEnvironment.knownEnvironments()) {
      if (endpoint.equals(known.getResourceManagerEndpoint())) {
        return known;
      }
    }
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", endpoint);
    return new AzureEnvironment(endpoints);
  }

  /**
   * How throttled (429, honouring Retry-After) and transient calls are retried, to ARM and beyond.
   */
  static RetryOptions retryOptions(AcaRuntimeSettings settings) {
    return new RetryOptions(
        new ExponentialBackoffOptions()
            .setMaxRetries(settings.retries())
            .setBaseDelay(positive(settings.retryDelay()))
            .setMaxDelay(MAX_RETRY_DELAY));
  }

  private static Duration positive(Duration delay) {
    return delay.isZero() || delay.isNegative() ? Duration.ofMillis(1) : delay;
  }
}
