package dev.conductor.runtime.aca;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import com.azure.resourcemanager.appcontainers.fluent.models.JobInner;
import com.azure.resourcemanager.appcontainers.fluent.models.ManagedEnvironmentInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conductor.runtime.WorkerLogUnavailableException;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An execution's console output as Container Apps keeps it: in the Log Analytics workspace of the
 * job's environment ({@code appLogsConfiguration.logAnalyticsConfiguration.customerId}), table
 * {@code ContainerAppConsoleLogs_CL}, read through the Log Analytics query API ({@code POST
 * <endpoint>/v1/workspaces/<id>/query}, signed in for {@value #SCOPE}). It outlives the execution,
 * so an ended worker's log is read the same way.
 */
final class AcaWorkerLogs {
  static final String SCOPE = "https://api.loganalytics.io/.default";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ENVIRONMENT_ID =
      Pattern.compile(
          "(?i)/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\\.App"
              + "/managedEnvironments/([^/]+)");

  private final ContainerAppsApiClient arm;
  private final String resourceGroup;
  private final String endpoint;
  private final HttpPipeline logAnalytics;
  // A job's workspace, which changes only when its environment is re-created.
  private final Map<String, String> workspaceOf = new ConcurrentHashMap<>();

  AcaWorkerLogs(
      ContainerAppsApiClient arm,
      AcaRuntimeSettings settings,
      TokenCredential credential,
      HttpClient http) {
    this.arm = arm;
    this.resourceGroup = settings.resourceGroup();
    this.endpoint = settings.logAnalyticsEndpoint().replaceAll("/+$", "");
    this.logAnalytics =
        new HttpPipelineBuilder()
            .httpClient(http)
            .policies(
                new RetryPolicy(ContainerAppsArm.retryOptions(settings)),
                new BearerTokenAuthenticationPolicy(credential, SCOPE))
            .build();
  }

  /**
   * The execution's last {@code tail} lines (null: all), oldest first; empty when its job is gone
   * (the tenant was offboarded), so nothing is known of it here.
   */
  Optional<String> of(String job, String execution, @Nullable Integer tail) {
    Optional<String> workspace = workspace(job);
    if (workspace.isEmpty()) {
      return Optional.empty();
    }
    JsonNode answer = query(workspace.get(), kql(job, execution, tail));
    StringBuilder text = new StringBuilder();
    for (JsonNode table : answer.path("tables")) {
      int column = -1;
      JsonNode columns = table.path("columns");
      for (int i = 0; i < columns.size(); i++) {
        if ("Log_s".equals(columns.get(i).path("name").asText())) {
          column = i;
        }
      }
      if (column < 0) {
        continue;
      }
      for (JsonNode row : table.path("rows")) {
        String line = row.path(column).asText("");
        text.append(line.endsWith("\n") ? line : line + "\n");
      }
    }
    return Optional.of(text.toString());
  }

  /**
   * The query: the job's console lines of the execution's replicas (their pods are named after the
   * execution), by time; the last {@code tail} of them if given.
   */
  static String kql(String job, String execution, @Nullable Integer tail) {
    StringBuilder kql =
        new StringBuilder("ContainerAppConsoleLogs_CL")
            .append(" | where ContainerJobName_s == ")
            .append(literal(job))
            .append(" and ContainerGroupName_s startswith ")
            .append(literal(execution));
    if (tail != null) {
      kql.append(" | top ").append(tail).append(" by TimeGenerated desc");
    }
    return kql.append(" | order by TimeGenerated asc | project TimeGenerated, Log_s").toString();
  }

  /** A KQL string literal: single-quoted, its backslashes and quotes escaped. */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private Optional<String> workspace(String job) {
    String known = workspaceOf.get(job);
    if (known != null) {
      return Optional.of(known);
    }
    String environmentId;
    try {
      JobInner definition = arm.getJobs().getByResourceGroup(resourceGroup, job);
      environmentId = definition.environmentId();
    } catch (HttpResponseException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw unavailable("the Container Apps job " + job + " was not read", e);
    } catch (RuntimeException e) {
      throw unavailable("the Container Apps job " + job + " was not read", e);
    }
    Matcher id = ENVIRONMENT_ID.matcher(environmentId == null ? "" : environmentId);
    if (!id.matches()) {
      throw new WorkerLogUnavailableException(
          "the Container Apps job " + job + " names no managed environment");
    }
    ManagedEnvironmentInner environment;
    try {
      environment = arm.getManagedEnvironments().getByResourceGroup(id.group(1), id.group(2));
    } catch (RuntimeException e) {
      throw unavailable("the Container Apps environment " + id.group(2) + " was not read", e);
    }
    String workspace =
        environment.appLogsConfiguration() == null
                || environment.appLogsConfiguration().logAnalyticsConfiguration() == null
            ? null
            : environment.appLogsConfiguration().logAnalyticsConfiguration().customerId();
    if (workspace == null || workspace.isBlank()) {
      throw new WorkerLogUnavailableException(
          "the Container Apps environment "
              + id.group(2)
              + " sends its logs to no Log Analytics workspace (appLogsConfiguration)");
    }
    workspaceOf.put(job, workspace);
    return Optional.of(workspace);
  }

  private JsonNode query(String workspace, String kql) {
    String url = endpoint + "/v1/workspaces/" + workspace + "/query";
    ObjectNode body = JSON.createObjectNode().put("query", kql);
    HttpRequest request =
        new HttpRequest(HttpMethod.POST, url)
            .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
            .setBody(body.toString());
    try (HttpResponse response = logAnalytics.sendSync(request, Context.NONE)) {
      String answer = response.getBodyAsBinaryData().toString();
      if (response.getStatusCode() != 200) {
        JsonNode error = parse(answer).path("error");
        throw new WorkerLogUnavailableException(
            "the Log Analytics workspace "
                + workspace
                + " at "
                + endpoint
                + " answered HTTP "
                + response.getStatusCode()
                + (error.hasNonNull("code") ? " " + error.get("code").asText() : ""));
      }
      return parse(answer);
    } catch (WorkerLogUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unavailable(
          "the Log Analytics workspace " + workspace + " at " + endpoint + " cannot be reached", e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static WorkerLogUnavailableException unavailable(String what, Throwable cause) {
    return new WorkerLogUnavailableException(what + ": " + AcaWorkerRuntime.reason(cause));
  }
}
