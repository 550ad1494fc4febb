package dev.conductor.runtime.aca;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Mono;

/**
 * Stands in for Azure Resource Manager's Container Apps API (api-version 2025-01-01, the one the
 * SDK speaks) over HTTPS with a self-signed certificate: the operations the aca runtime uses, on
 * jobs and executions kept in memory as ARM keeps them. It checks what ARM would refuse (api
 * version, bearer token, an override naming a container or secret the job lacks) and what the
 * runtime promises (no secret's value as a plain override value), recording each violation. An
 * execution behaves as its override tells a stand-in container: {@code STAND_IN_LIFETIME_MS}, then
 * it ends {@code STAND_IN_ENDS} (default Succeeded); {@code STAND_IN_IGNORES_STOP} makes a stop
 * take a moment, as Container Apps kills a container after its grace. It can be told to answer 429
 * with Retry-After, or 503, a few times.
 */
final class ArmStandIn implements AutoCloseable {
  static final String API_VERSION = "2025-01-01";
  static final String TOKEN = "stand-in-token";

  /** The token of the Log Analytics scope, which ARM's does not open. */
  static final String LOGS_TOKEN = "stand-in-logs-token";

  /** The workspace (customer id) every environment sends its logs to. */
  static final String WORKSPACE = "11111111-2222-3333-4444-555555555555";

  static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
  static final String RESOURCE_GROUP = "conductor-rg";
  private static final String PASSWORD = "stand-in";
  private static final Pattern PATH =
      Pattern.compile(
          "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.App/jobs"
              + "(?:/([^/]+)(/listSecrets|/start|/executions(?:/([^/]+)/stop)?)?)?");
  // Where a 202's Location points: the result of a long-running operation.
  private static final Pattern OPERATION_RESULT =
      Pattern.compile(
          "/subscriptions/([^/]+)/providers/Microsoft\\.App/locations/([^/]+)"
              + "/containerappsjoboperationresults/([^/]+)");
  private static final Pattern ENVIRONMENT =
      Pattern.compile(
          "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.App"
              + "/managedEnvironments/([^/]+)");
  private static final Pattern LOG_QUERY = Pattern.compile("/v1/workspaces/([^/]+)/query");
  // A KQL string literal: single quotes, backslash escapes.
  private static final String LITERAL = "'((?:[^'\\\\]|\\\\.)*)'";
  private static final Pattern CONSOLE_LOGS =
      Pattern.compile(
          "ContainerAppConsoleLogs_CL \\| where ContainerJobName_s == "
              + LITERAL
              + " and ContainerGroupName_s startswith "
              + LITERAL
              + "(?: \\| top (\\d+) by TimeGenerated desc)?"
              + " \\| order by TimeGenerated asc \\| project TimeGenerated, Log_s");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A job as the azure program declared it: tags, configuration with secrets, template. */
  record Job(
      String name,
      String location,
      String environmentId,
      Map<String, String> tags,
      Map<String, Object> configuration,
      Map<String, Object> template,
      Map<String, String> secrets) {}

  /** An execution and what its override told the stand-in container. */
  static final class Execution {
    final String job;
    final String name;
    final Map<String, Object> template;
    final Instant startTime = Instant.now();
    volatile String status = "Running";
    volatile Instant endTime;
    volatile Process process;
    volatile boolean stopped;

    Execution(String job, String name, Map<String, Object> template) {
      this.job = job;
      this.name = name;
      this.template = template;
    }

    boolean running() {
      return status.equals("Running") || status.equals("Processing");
    }

    /** The override's plain values of the container {@code container}. */
    @SuppressWarnings("unchecked")
    Map<String, String> values(String container) {
      Map<String, String> values = new HashMap<>();
      for (Map<String, Object> c : (List<Map<String, Object>>) template.get("containers")) {
        if (container.equals(c.get("name"))) {
          for (Map<String, Object> env :
              (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
            if (env.get("value") != null) {
              values.put((String) env.get("name"), (String) env.get("value"));
            }
          }
        }
      }
      return values;
    }
  }

  private record Fault(int status, int times) {}

  private final HttpsServer server;
  private final SslContext nettyTrust;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, List<Execution>> executions = new ConcurrentHashMap<>();
  private final Map<String, Deque<Integer>> faults = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicInteger names = new AtomicInteger();
  private volatile Function<Map<String, String>, Process> containers;
  private volatile Function<Execution, List<String>> consoleLogs = e -> List.of();
  private final Map<String, Object> operationResults = new ConcurrentHashMap<>();

  /** {@code keyStore}: a PKCS12 key store with a self-signed certificate for localhost. */
  ArmStandIn(Path keyStore) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keyManagers.getKeyManagers(), null, null);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keys);
    nettyTrust = SslContextBuilder.forClient().trustManager(trust).build();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  /** A self-signed certificate for localhost, made by the JDK's keytool. */
  static Path keyStore(Path directory) throws Exception {
    Path store = directory.resolve("arm-stand-in.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process process =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "arm",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    return store;
  }

  /**
   * The outbound addresses Azure lists for the jobs of an environment (each environment its own):
   * two documentation addresses (RFC 5737) derived from its id.
   */
  static List<String> outboundOf(String environmentId) {
    int n = Math.floorMod(environmentId.hashCode(), 120);
    return List.of("203.0.113." + (n + 1), "203.0.113." + (n + 129));
  }

  /** The stand-in's fixed token of the scope asked for: ARM's, or Log Analytics'. */
  static Mono<AccessToken> token(TokenRequestContext request) {
    boolean logs = request.getScopes().contains(AcaWorkerLogs.SCOPE);
    return Mono.just(new AccessToken(logs ? LOGS_TOKEN : TOKEN, OffsetDateTime.now().plusHours(1)));
  }

  String endpoint() {
    return "https://localhost:" + server.getAddress().getPort() + "/";
  }

  /** An azure-core HTTP client that trusts this stand-in's certificate. */
  HttpClient httpClient() {
    return trusting(nettyTrust);
  }

  /** An azure-core HTTP client that trusts the certificate in {@code keyStore}. */
  static HttpClient trusting(Path keyStore) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keys);
      return trusting(SslContextBuilder.forClient().trustManager(trust).build());
    } catch (Exception e) {
      throw new IllegalStateException("stand-in key store unreadable: " + e, e);
    }
  }

  private static HttpClient trusting(SslContext trust) {
    return new NettyAsyncHttpClientBuilder(
            reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(trust)))
        .build();
  }

  /**
   * Runs each execution's container as a local process, given its resolved environment (plain
   * values and the job's secrets by reference), as Container Apps would: it runs while the process
   * does, then ends Succeeded (exit 0) or Failed, or Stopped when stopped.
   */
  void runContainersAs(Function<Map<String, String>, Process> launcher) {
    containers = launcher;
  }

  /**
   * What the environment's Log Analytics workspace holds of each execution's console, line by line,
   * oldest first (Container Apps ships a container's stdout and stderr there).
   */
  void consoleLogsOf(Function<Execution, List<String>> lines) {
    consoleLogs = lines;
  }

  /** Serves the job as the azure program declared it (the inputs of its Job resource). */
  @SuppressWarnings("unchecked")
  void declare(Map<String, Object> programJob) {
    Map<String, Object> configuration =
        new LinkedHashMap<>((Map<String, Object>) programJob.get("configuration"));
    Map<String, String> secrets = new LinkedHashMap<>();
    for (Map<String, Object> secret : (List<Map<String, Object>>) configuration.get("secrets")) {
      secrets.put((String) secret.get("name"), (String) secret.get("value"));
    }
    configuration.remove("secrets");
    String name = (String) programJob.get("jobName");
    jobs.put(
        name,
        new Job(
            name,
            (String) programJob.get("location"),
            (String) programJob.get("environmentId"),
            (Map<String, String>) programJob.get("tags"),
            configuration,
            (Map<String, Object>) programJob.get("template"),
            secrets));
    executions.put(name, new CopyOnWriteArrayList<>());
  }

  /** The next {@code times} calls of {@code operation} answer {@code status}. */
  void failNext(String operation, int status, int times) {
    Deque<Integer> queue = faults.computeIfAbsent(operation, o -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.add(status);
      }
    }
  }

  int requests(String operation) {
    return requests.computeIfAbsent(operation, o -> new AtomicInteger()).get();
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  String secret(String job, String name) {
    return jobs.get(job).secrets().get(name);
  }

  List<Execution> executions(String job) {
    return List.copyOf(executions.getOrDefault(job, List.of()));
  }

  /** Executions still running, in every job: what a test must not leave behind. */
  List<String> running() {
    List<String> running = new ArrayList<>();
    executions
        .values()
        .forEach(
            list ->
                list.stream()
                    .filter(Execution::running)
                    .forEach(e -> running.add(e.job + "/" + e.name)));
    return running;
  }

  @Override
  public void close() {
    server.stop(0);
    clock.shutdownNow();
    for (List<Execution> list : executions.values()) {
      for (Execution execution : list) {
        if (execution.process != null) {
          execution.process.destroyForcibly();
        }
      }
    }
  }

  /** The first container's environment as the container sees it: secrets resolved. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> resolved(Job job, List<Map<String, Object>> containers) {
    Map<String, String> environment = new HashMap<>();
    for (Map<String, Object> env :
        (List<Map<String, Object>>) containers.get(0).getOrDefault("env", List.of())) {
      Object value =
          env.get("value") != null ? env.get("value") : job.secrets().get(env.get("secretRef"));
      environment.put((String) env.get("name"), (String) value);
    }
    return environment;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      String query = String.valueOf(exchange.getRequestURI().getQuery());
      Matcher result = OPERATION_RESULT.matcher(exchange.getRequestURI().getPath());
      if (result.matches() && method.equals("GET")) {
        operationResult(exchange, result.group(3), query);
        return;
      }
      Matcher environment = ENVIRONMENT.matcher(exchange.getRequestURI().getPath());
      if (environment.matches() && method.equals("GET")) {
        environment(exchange, environment.group(3), query);
        return;
      }
      Matcher logQuery = LOG_QUERY.matcher(exchange.getRequestURI().getPath());
      if (logQuery.matches() && method.equals("POST")) {
        logQuery(exchange, logQuery.group(1));
        return;
      }
      if (!path.matches()) {
        violation(method + " " + exchange.getRequestURI().getPath() + ": no such ARM operation");
        error(exchange, 404, "InvalidResourceType", "no such operation");
        return;
      }
      String operation = operation(method, path);
      requests.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        violation(operation + ": no bearer token");
        error(exchange, 401, "AuthenticationFailed", "no valid bearer token");
        return;
      }
      if (!query.contains("api-version=" + API_VERSION)) {
        violation(operation + ": api-version " + query);
        error(exchange, 400, "InvalidApiVersionParameter", "unsupported api-version");
        return;
      }
      if (!SUBSCRIPTION.equals(path.group(1)) || !RESOURCE_GROUP.equals(path.group(2))) {
        error(exchange, 404, "ResourceGroupNotFound", "resource group not found");
        return;
      }
      Integer fault = nextFault(operation);
      if (fault != null) {
        if (fault == 429) {
          exchange.getResponseHeaders().add("Retry-After", "1");
          error(exchange, 429, "TooManyRequests", "throttled, retry after 1 s");
        } else {
          error(exchange, fault, "ServiceUnavailable", "try again");
        }
        return;
      }
      String jobName = path.group(3);
      Job job = jobName == null ? null : jobs.get(jobName);
      if (jobName != null && job == null) {
        error(exchange, 404, "ResourceNotFound", "job " + jobName + " not found");
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      switch (operation) {
        case "list-jobs" -> {
          List<Object> value = new ArrayList<>();
          jobs.values().forEach(j -> value.add(jobJson(j)));
          json(exchange, 200, Map.of("value", value));
        }
        case "get-job" -> json(exchange, 200, jobJson(job));
        case "update" -> update(exchange, job, body);
        case "list-secrets" -> {
          List<Object> value = new ArrayList<>();
          job.secrets().forEach((n, v) -> value.add(Map.of("name", n, "value", v)));
          json(exchange, 200, Map.of("value", value));
        }
        case "start" -> start(exchange, job, body);
        case "list-executions" -> {
          List<Object> value = new ArrayList<>();
          executions.get(job.name()).forEach(e -> value.add(executionJson(e)));
          json(exchange, 200, Map.of("value", value));
        }
        case "stop" -> stop(exchange, job, path.group(5));
        default -> error(exchange, 405, "MethodNotAllowed", operation);
      }
    } catch (RuntimeException e) {
      violation("stand-in failed: " + e);
      throw e;
    }
  }

  private static String operation(String method, Matcher path) {
    String tail = path.group(4);
    if (path.group(3) == null) {
      return "list-jobs";
    }
    if (tail == null) {
      return method.equals("PATCH") ? "update" : "get-job";
    }
    if (tail.equals("/listSecrets")) {
      return "list-secrets";
    }
    if (tail.equals("/start")) {
      return "start";
    }
    return path.group(5) == null ? "list-executions" : "stop";
  }

  private Integer nextFault(String operation) {
    Deque<Integer> queue = faults.get(operation);
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      return queue.poll();
    }
  }

  @SuppressWarnings("unchecked")
  private void update(HttpExchange exchange, Job job, byte[] body) throws IOException {
    Map<String, Object> patch = JSON.readValue(body, Map.class);
    Map<String, Object> properties = (Map<String, Object>) patch.get("properties");
    Map<String, Object> configuration =
        properties == null ? null : (Map<String, Object>) properties.get("configuration");
    if (configuration == null || !(configuration.get("secrets") instanceof List<?> secrets)) {
      violation("update without configuration.secrets");
      error(exchange, 400, "InvalidRequestContent", "configuration.secrets missing");
      return;
    }
    Map<String, String> updated = new LinkedHashMap<>();
    for (Object secret : secrets) {
      Map<String, Object> s = (Map<String, Object>) secret;
      updated.put((String) s.get("name"), (String) s.get("value"));
    }
    // ARM replaces the list: a secret left out, or sent without its value, is lost.
    if (!updated.keySet().equals(job.secrets().keySet()) || updated.containsValue(null)) {
      violation("update would drop secrets or their values: " + updated.keySet());
    }
    job.secrets().clear();
    job.secrets().putAll(updated);
    json(exchange, 200, jobJson(job));
  }

  @SuppressWarnings("unchecked")
  private void start(HttpExchange exchange, Job job, byte[] body) throws IOException {
    Map<String, Object> template = JSON.readValue(body, Map.class);
    List<String> problems = new ArrayList<>();
    List<String> declared = new ArrayList<>();
    for (Map<String, Object> c : (List<Map<String, Object>>) job.template().get("containers")) {
      declared.add((String) c.get("name"));
    }
    Object containers = template.get("containers");
    if (!(containers instanceof List<?> list) || list.isEmpty()) {
      problems.add("no containers");
    } else {
      for (Object element : list) {
        Map<String, Object> c = (Map<String, Object>) element;
        if (!declared.contains(c.get("name"))) {
          problems.add("container " + c.get("name") + " is not the job's");
        }
        if (!(c.get("image") instanceof String image) || image.isBlank()) {
          problems.add("container without image");
        }
        for (Map<String, Object> env :
            (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
          boolean value = env.get("value") != null;
          boolean secretRef = env.get("secretRef") != null;
          if (value == secretRef) {
            problems.add(env.get("name") + ": neither or both of value and secretRef");
          }
          if (secretRef && !job.secrets().containsKey(env.get("secretRef"))) {
            problems.add(env.get("name") + ": secret " + env.get("secretRef") + " not declared");
          }
          if (value && job.secrets().containsValue(env.get("value"))) {
            violation(env.get("name") + ": a secret's value as a plain override value");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(this::violation);
      error(exchange, 400, "ContainerAppInvalidJobExecutionTemplate", String.join("; ", problems));
      return;
    }
    String name = job.name() + "-" + Integer.toString(names.incrementAndGet(), 36) + "x";
    Execution execution = new Execution(job.name(), name, template);
    executions.get(job.name()).add(execution);
    Map<String, String> values =
        execution.values((String) ((List<Map<String, Object>>) containers).get(0).get("name"));
    Function<Map<String, String>, Process> launcher = this.containers;
    if (launcher != null) {
      Process process = launcher.apply(resolved(job, (List<Map<String, Object>>) containers));
      execution.process = process;
      process
          .onExit()
          .thenAccept(
              ended ->
                  end(
                      execution,
                      execution.stopped
                          ? "Stopped"
                          : ended.exitValue() == 0 ? "Succeeded" : "Failed"));
    }
    String lifetime = values.get("STAND_IN_LIFETIME_MS");
    if (lifetime != null) {
      String ends = values.getOrDefault("STAND_IN_ENDS", "Succeeded");
      clock.schedule(() -> end(execution, ends), Long.parseLong(lifetime), TimeUnit.MILLISECONDS);
    }
    // As ARM does: 202 with the execution and a Location to poll for the operation's result.
    Map<String, Object> started = Map.of("id", executionId(job.name(), name), "name", name);
    String operation = UUID.randomUUID().toString();
    operationResults.put(operation, started);
    exchange
        .getResponseHeaders()
        .add(
            "Location",
            endpoint().replaceAll("/$", "")
                + "/subscriptions/"
                + SUBSCRIPTION
                + "/providers/Microsoft.App/locations/westeurope/containerappsjoboperationresults/"
                + operation
                + "?api-version="
                + API_VERSION);
    exchange.getResponseHeaders().add("Retry-After", "0");
    json(exchange, 202, started);
  }

  private void operationResult(HttpExchange exchange, String operation, String query)
      throws IOException {
    requests.computeIfAbsent("operation-result", o -> new AtomicInteger()).incrementAndGet();
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
        || !query.contains("api-version=" + API_VERSION)) {
      violation("operation result polled without token or api-version");
      error(exchange, 401, "AuthenticationFailed", "no valid bearer token");
      return;
    }
    Object result = operationResults.get(operation);
    if (result == null) {
      error(exchange, 404, "ResourceNotFound", "operation " + operation + " not found");
      return;
    }
    json(exchange, 200, result);
  }

  /** A managed environment that sends its logs to {@link #WORKSPACE}. */
  private void environment(HttpExchange exchange, String name, String query) throws IOException {
    requests.computeIfAbsent("get-environment", o -> new AtomicInteger()).incrementAndGet();
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
        || !query.contains("api-version=" + API_VERSION)) {
      violation("environment read without ARM's token or api-version");
      error(exchange, 401, "AuthenticationFailed", "no valid bearer token");
      return;
    }
    Map<String, Object> logAnalytics = Map.of("customerId", WORKSPACE);
    Map<String, Object> properties =
        Map.of(
            "provisioningState",
            "Succeeded",
            "appLogsConfiguration",
            Map.of("destination", "log-analytics", "logAnalyticsConfiguration", logAnalytics));
    json(
        exchange,
        200,
        Map.of(
            "id",
            "/subscriptions/"
                + SUBSCRIPTION
                + "/resourceGroups/"
                + RESOURCE_GROUP
                + "/providers/Microsoft.App/managedEnvironments/"
                + name,
            "name",
            name,
            "type",
            "Microsoft.App/managedEnvironments",
            "location",
            "westeurope",
            "properties",
            properties));
  }

  /**
   * The Log Analytics query API ({@code POST /v1/workspaces/{id}/query}) for the one query the
   * runtime sends: an execution's console lines, optionally its last N; answered as the API does,
   * {@code {"tables":[{"name","columns","rows"}]}}.
   */
  @SuppressWarnings("unchecked")
  private void logQuery(HttpExchange exchange, String workspace) throws IOException {
    requests.computeIfAbsent("query", o -> new AtomicInteger()).incrementAndGet();
    if (!("Bearer " + LOGS_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      violation("log query without a token of the Log Analytics scope");
      error(exchange, 403, "InsufficientAccessError", "token not valid for this API");
      return;
    }
    Integer fault = nextFault("query");
    if (fault != null) {
      error(exchange, fault, fault == 403 ? "InsufficientAccessError" : "ServiceUnavailable", "no");
      return;
    }
    if (!WORKSPACE.equals(workspace)) {
      error(exchange, 404, "WorkspaceNotFoundError", "workspace " + workspace + " not found");
      return;
    }
    Map<String, Object> body = JSON.readValue(exchange.getRequestBody(), Map.class);
    Matcher kql = CONSOLE_LOGS.matcher(String.valueOf(body.get("query")));
    if (!kql.matches()) {
      violation("log query not understood: " + body.get("query"));
      error(exchange, 400, "BadArgumentError", "query not understood");
      return;
    }
    String job = unescape(kql.group(1));
    String prefix = unescape(kql.group(2));
    List<String> lines = new ArrayList<>();
    for (Execution execution : executions(job)) {
      if (execution.name.startsWith(prefix)) {
        lines.addAll(consoleLogs.apply(execution));
      }
    }
    if (kql.group(3) != null) {
      int top = Integer.parseInt(kql.group(3));
      lines = lines.subList(Math.max(0, lines.size() - top), lines.size());
    }
    List<Object> rows = new ArrayList<>();
    lines.forEach(line -> rows.add(List.of(Instant.now().toString(), line)));
    List<Object> columns =
        List.of(
            Map.of("name", "TimeGenerated", "type", "datetime"),
            Map.of("name", "Log_s", "type", "string"));
    json(
        exchange,
        200,
        Map.of(
            "tables", List.of(Map.of("name", "PrimaryResult", "columns", columns, "rows", rows))));
  }

  private static String unescape(String literal) {
    return literal.replaceAll("\\\\(.)", "$1");
  }

  private void stop(HttpExchange exchange, Job job, String name) throws IOException {
    Execution execution =
        executions.get(job.name()).stream()
            .filter(e -> e.name.equals(name))
            .findFirst()
            .orElse(null);
    if (execution == null) {
      error(exchange, 404, "ResourceNotFound", "execution " + name + " not found");
      return;
    }
    Process process = execution.process;
    if (process != null) {
      execution.stopped = true;
      // Container Apps signals the container, then kills it after its grace.
      process.destroy();
      clock.schedule(process::destroyForcibly, 5, TimeUnit.SECONDS);
      json(exchange, 200, Map.of());
      return;
    }
    boolean ignores = "true".equals(execution.values("worker").get("STAND_IN_IGNORES_STOP"));
    // Container Apps signals the container, then kills it after its grace.
    clock.schedule(() -> end(execution, "Stopped"), ignores ? 500 : 0, TimeUnit.MILLISECONDS);
    json(exchange, 200, Map.of());
  }

  private static void end(Execution execution, String status) {
    synchronized (execution) {
      if (execution.running()) {
        execution.endTime = Instant.now();
        execution.status = status;
      }
    }
  }

  private Map<String, Object> jobJson(Job job) {
    Map<String, Object> configuration = new LinkedHashMap<>(job.configuration());
    List<Object> secrets = new ArrayList<>();
    // GET never returns secret values: listSecrets does.
    job.secrets().keySet().forEach(n -> secrets.add(Map.of("name", n)));
    configuration.put("secrets", secrets);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("provisioningState", "Succeeded");
    properties.put("environmentId", job.environmentId());
    properties.put("outboundIpAddresses", outboundOf(job.environmentId()));
    properties.put("configuration", configuration);
    properties.put("template", job.template());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", jobId(job.name()));
    json.put("name", job.name());
    json.put("type", "Microsoft.App/jobs");
    json.put("location", job.location());
    json.put("tags", job.tags());
    json.put("properties", properties);
    return json;
  }

  private static Map<String, Object> executionJson(Execution execution) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("status", execution.status);
    properties.put("startTime", execution.startTime.toString());
    if (execution.endTime != null) {
      properties.put("endTime", execution.endTime.toString());
    }
    properties.put("template", execution.template);
    return Map.of(
        "id",
        executionId(execution.job, execution.name),
        "name",
        execution.name,
        "type",
        "Microsoft.App/jobs/executions",
        "properties",
        properties);
  }

  private static String jobId(String job) {
    return "/subscriptions/"
        + SUBSCRIPTION
        + "/resourceGroups/"
        + RESOURCE_GROUP
        + "/providers/Microsoft.App/jobs/"
        + job;
  }

  private static String executionId(String job, String name) {
    return jobId(job) + "/executions/" + name;
  }

  private void violation(String what) {
    violations.add(what);
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    json(exchange, status, Map.of("error", Map.of("code", code, "message", message)));
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("x-ms-request-id", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
