package dev.conductor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conductor.ConductorServer;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (scale) The console's requests against 10,000 tenants and 1,000,000 jobs (issue 13 item 4). The
 * rows are seeded by SQL, not onboarded: onboarding that many through the provisioner is
 * (onboard)'s measure and would take hours here; the seeded tenants are READY without resources and
 * all their jobs have ended, so nothing routes or runs them. Then each request the console makes is
 * timed over HTTP with the operator token.
 */
final class ConsoleAtScale {
  static final String PREFIX = "scale-";

  /** The tenant holding a tenth of the jobs. */
  static final String BIG = PREFIX + "00001";

  private static final int WARMUP = 3;
  private static final int DEEP_PAGES = 100;
  private static final String PLAN = "bench";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConductorServer server;
  private final int tenants;
  private final int jobs;
  private final int runs;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ConsoleAtScale(ConductorServer server, int tenants, int jobs, int runs) {
    this.server = server;
    this.tenants = tenants;
    this.jobs = jobs;
    this.runs = runs;
  }

  List<Row> run() {
    List<Row> rows = new ArrayList<>();
    long start = System.nanoTime();
    seed();
    double seeded = (System.nanoTime() - start) / 1e9;
    Bench.progress("scale: seeded in %.0f s", seeded);
    rows.add(
        Row.info(
            "scale",
            "seeded by SQL (generate_series, then ANALYZE): tenants / jobs (" + BIG + " holds)",
            String.format("%,d / %,d (%,d) in %.0f s", tenants, jobs, jobs / 10, seeded)));
    Instant middle = Instant.now().minus(15, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("tenants, first page", "/v1/tenants?limit=50");
    Page deepTenants = deepPage("/v1/tenants?limit=50");
    requests.put("tenants, page " + deepTenants.number() + " (cursor)", deepTenants.path());
    requests.put("tenants, namePrefix", "/v1/tenants?limit=50&namePrefix=" + PREFIX + "05");
    requests.put("tenants, status=READY", "/v1/tenants?limit=50&status=READY");
    requests.put("tenants, status=FAILED (none)", "/v1/tenants?limit=50&status=FAILED");
    String big = "/v1/tenants/" + BIG + "/jobs?limit=50";
    requests.put("big tenant's jobs, first page", big);
    requests.put("big tenant's jobs, status=FAILED", big + "&status=FAILED");
    requests.put("big tenant's jobs, type=sleep", big + "&type=sleep");
    requests.put("big tenant's jobs, affinityKey=key-7", big + "&affinityKey=key-7");
    requests.put(
        "big tenant's jobs, since/until one day",
        big
            + "&since="
            + encode(middle.minus(1, ChronoUnit.DAYS).toString())
            + "&until="
            + encode(middle.toString()));
    Page deepJobs = deepPage(big);
    requests.put("big tenant's jobs, page " + deepJobs.number() + " (cursor)", deepJobs.path());
    requests.put("operations, first page", "/v1/operations?limit=50");
    requests.put("metrics", "/metrics");
    requests.put("tenants, unpaged (plain array)", "/v1/tenants");
    for (Map.Entry<String, String> request : requests.entrySet()) {
      rows.add(time(request.getKey(), request.getValue()));
    }
    rows.add(Row.info("scale", "load average at the end", Environment.loadAverage()));
    return rows;
  }

  /** One row: p50 / p90 / max of {@code runs} GETs after the warm-ups, and the body's size. */
  private Row time(String name, String path) {
    for (int i = 0; i < WARMUP; i++) {
      get(path);
    }
    Samples samples = new Samples();
    int bytes = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      bytes = get(path).length();
      samples.addNanos(System.nanoTime() - t0);
    }
    Bench.progress("scale: %s: %s", name, samples.summary());
    return Row.info(
        "scale",
        name
            + ": `GET "
            + path.replaceAll("cursor=[^&]*", "cursor=…")
            + "`, p50 / p90 / max (body)",
        Samples.ms(samples.p50())
            + " / "
            + Samples.ms(samples.percentile(90))
            + " / "
            + Samples.ms(samples.max())
            + String.format(" ms (%,d B)", bytes));
  }

  /** A page's request and its number, the first being 1. */
  private record Page(String path, int number) {}

  /** The page reached by following up to {@link #DEEP_PAGES} nextCursors from the first. */
  private Page deepPage(String first) {
    String path = first;
    for (int i = 0; i < DEEP_PAGES; i++) {
      try {
        JsonNode next = JSON.readTree(get(path)).path("nextCursor");
        if (!next.isTextual()) {
          return new Page(path, i + 1);
        }
        path = first + "&cursor=" + encode(next.asText());
      } catch (IOException e) {
        throw new IllegalStateException("unreadable page of " + first, e);
      }
    }
    return new Page(path, DEEP_PAGES + 1);
  }

  private String get(String path) {
    URI uri = server.url().resolve(path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + server.adminToken())
            .timeout(Duration.ofMinutes(2))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Tenants scale-00001.. READY on plan bench (which keeps jobs forever, so retention deletes none)
   * with one finished PROVISION operation each, as onboarding leaves them; jobs a tenth on {@link
   * #BIG}, the rest round-robin over all: 88% SUCCEEDED, 10% FAILED, 2% CANCELLED, types echo /
   * sleep / fail, affinity keys '' and key-0..key-19, created over the last 30 days.
   */
  private void seed() {
    ApplicationContext context = server.context();
    try (Connection db =
            DriverManager.getConnection(
                context.getRequiredProperty("datasources.default.url", String.class),
                context.getRequiredProperty("datasources.default.username", String.class),
                context.getRequiredProperty("datasources.default.password", String.class));
        Statement sql = db.createStatement()) {
      Bench.progress("scale: seeding %,d tenants", tenants);
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO tenants (id, name, plan, status, created_at, updated_at)"
                  + " SELECT md5('tenant' || i)::uuid, ? || lpad(i::text, 5, '0'), ?, 'READY',"
                  + " now() - interval '30 days' + i * interval '1 second', now()"
                  + " FROM generate_series(1, ?) i")) {
        insert.setString(1, PREFIX);
        insert.setString(2, PLAN);
        insert.setInt(3, tenants);
        insert.executeUpdate();
      }
      sql.executeUpdate(
          "INSERT INTO operations (id, tenant_id, kind, status, attempts, created_at, updated_at)"
              + " SELECT md5('operation' || id)::uuid, id, 'PROVISION', 'SUCCEEDED', 1,"
              + " created_at, created_at + interval '2 seconds'"
              + " FROM tenants WHERE name LIKE '"
              + PREFIX
              + "%'");
      Bench.progress("scale: seeding %,d jobs", jobs);
      int bigJobs = jobs / 10;
      insertJobs(
          db,
          "SELECT md5('tenant1')::uuid AS tenant_id, g FROM generate_series(1, " + bigJobs + ") g");
      insertJobs(
          db,
          "SELECT md5('tenant' || (1 + g % "
              + tenants
              + "))::uuid AS tenant_id, g FROM generate_series("
              + (bigJobs + 1)
              + ", "
              + jobs
              + ") g");
      Bench.progress("scale: ANALYZE");
      sql.execute("ANALYZE tenants");
      sql.execute("ANALYZE operations");
      sql.execute("ANALYZE jobs");
    } catch (SQLException e) {
      throw new IllegalStateException("seeding the conductor's database failed", e);
    }
  }

  /** Ended jobs, one per row of {@code source} (tenant_id, g), created over the last 30 days. */
  private static void insertJobs(Connection db, String source) throws SQLException {
    String sql =
        "INSERT INTO jobs (id, tenant_id, type, payload, affinity_key, status, attempts,"
            + " max_attempts, timeout_ms, result, error, dispatched_at, created_at, started_at,"
            + " finished_at, updated_at)"
            + " SELECT md5('job' || g)::uuid, tenant_id, (ARRAY['echo', 'sleep', 'fail'])[1 + g % 3],"
            + " '{\"n\":' || g || '}',"
            + " CASE WHEN g % 21 = 0 THEN '' ELSE 'key-' || (g % 20) END,"
            + " CASE WHEN g % 10 = 0 THEN 'FAILED' WHEN g % 50 = 1 THEN 'CANCELLED'"
            + " ELSE 'SUCCEEDED' END,"
            + " 1, 3, 60000,"
            + " CASE WHEN g % 10 <> 0 AND g % 50 <> 1 THEN '{\"n\":' || g || '}' END,"
            + " CASE WHEN g % 10 = 0 THEN 'seeded failure' END,"
            + " at + interval '50 milliseconds', at, at + interval '100 milliseconds',"
            + " at + interval '1 second', at + interval '1 second'"
            + " FROM (SELECT tenant_id, g, now() - random() * interval '30 days' AS at"
            + " FROM ("
            + source
            + ") s) t";
    try (Statement statement = db.createStatement()) {
      statement.executeUpdate(sql);
    }
  }
}
