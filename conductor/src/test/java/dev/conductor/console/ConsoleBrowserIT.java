package dev.conductor.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs) against a real conductor: sign in, onboard a tenant and watch its operation stream to
 * READY, see jobs submitted with its key and their workers appear and go, drain a worker, delete
 * the tenant, sign out. Each page's screenshot goes to target/console-screenshots (and to the
 * directory {@code -Dconsole.screenshots} names: docs/console.md's pictures).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ConsoleBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String TENANT = "console-demo";

  private RunningConductor conductor;
  private WebDriver browser;

  /**
   * Skips at once, with the reason in the test report, without a browser; starts nothing before.
   */
  private void start() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + ": the console's browser test needs Debian's"
            + " chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run"
            + " installs them)");
    Map<String, Object> properties = new java.util.HashMap<>(FastTimers.properties());
    // The tenants page's worker and queue numbers come from /metrics: fresh at every scrape.
    properties.put("conductor.metrics.gauge-refresh", "0s");
    conductor = RunningConductor.start(properties);
    // Both paths given: Selenium Manager has nothing to look up (it would try the network).
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1100,850",
        "--lang=en-GB");
    browser = new ChromeDriver(driver, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (conductor != null) {
      conductor.close();
    }
  }

  @Test
  void anOperatorRunsATenantFromTheConsole() {
    start();
    // Sign in: a wrong token is refused with a clear message, the right one opens the overview.
    browser.get(conductor.url() + "/ui/");
    signIn("not-the-operator-token-at-all");
    awaitText(By.id("sign-in-problem"), "refused this token");
    screenshot("sign-in");
    signIn(conductor.adminToken());
    awaitText(By.tagName("h1"), "Overview");

    // Onboard: the key is shown once, and the operation's events stream until the tenant is READY.
    click(By.linkText("Tenants"));
    awaitText(By.tagName("h1"), "Tenants");
    type(By.id("new-name"), TENANT);
    WebElement plan = find(By.id("new-plan"));
    plan.clear();
    plan.sendKeys("dev");
    click(By.cssSelector("#create-tenant button[type=submit]"));
    String apiKey = await(() -> find(By.id("api-key")).getText(), key -> key.startsWith("ck_"));
    click(By.id("follow-operation"));
    awaitText(By.id("operation-end"), "SUCCEEDED");
    awaitText(By.id("tenant-now"), "READY");
    assertThat(find(By.id("events")).findElements(By.tagName("li"))).isNotEmpty();
    screenshot("operation");

    // Jobs submitted through the API with the key the console showed appear with their workers.
    String held = conductor.submitJob(apiKey, longJob("proxy-eu"));
    String heldToo = conductor.submitJob(apiKey, longJob("proxy-eu"));
    String echoed = conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
    browser.get(conductor.url() + "/ui/#/jobs?tenant=" + TENANT);
    awaitRow(held, "RUNNING");
    awaitRow(heldToo, "RUNNING");
    awaitRow(echoed, "SUCCEEDED");
    click(By.cssSelector("tr[data-key='" + echoed + "'] a"));
    awaitText(By.id("timeline"), "Finished");
    awaitText(By.id("result"), "\"n\": 1");
    screenshot("job");
    browser.navigate().back();
    // The server filters: by type and affinity key only the two long jobs are left.
    type(By.id("type"), "sleep");
    type(By.id("affinityKey"), "proxy-eu");
    click(By.cssSelector("#job-search button[type=submit]"));
    awaitGone(echoed);
    awaitRow(held, "RUNNING");
    awaitRow(heldToo, "RUNNING");
    screenshot("jobs");

    String busy = await(() -> liveWorker("proxy-eu"), id -> id != null);
    String pooled = conductor.job(apiKey, echoed).get("workerId").asText();
    browser.get(conductor.url() + "/ui/#/workers?tenant=" + TENANT);
    awaitRow(busy, "READY");
    assertThat(find(By.cssSelector("tr[data-key='" + busy + "']")).getText())
        .contains("proxy-eu", "process", "2 / 2");
    // The echo job's worker (the default pool) is torn down once idle (3 s): it leaves the live
    // table and the ended ones show it STOPPED.
    awaitGone(pooled);
    screenshot("workers");
    browser.get(conductor.url() + "/ui/#/workers?tenant=" + TENANT + "&all=true");
    awaitRow(pooled, "STOPPED");
    browser.get(conductor.url() + "/ui/#/workers?tenant=" + TENANT);
    awaitRow(busy, "READY");

    // Drain: the busy worker takes no new jobs, finishing the two it runs.
    click(By.cssSelector("tr[data-key='" + busy + "'] button"));
    awaitRow(busy, "DRAINING");
    assertThat(conductor.workerRow(TENANT, busy).get("state").asText()).isEqualTo("DRAINING");
    click(By.cssSelector("tr[data-key='" + busy + "'] a"));
    awaitText(By.tagName("h1"), busy);
    awaitText(By.cssSelector("main dl"), "DRAINING");
    screenshot("worker");

    browser.get(conductor.url() + "/ui/#/tenants");
    await(
        () -> find(By.cssSelector("tr[data-key='" + TENANT + "']")).getText(),
        row -> row.contains("READY") && row.contains("dev") && row.contains(" 1 "));
    screenshot("tenants");
    // The server filters the tenants: by name prefix the tenant stays, by a status it is not in
    // not.
    type(By.id("namePrefix"), "console-");
    click(By.cssSelector("#tenant-search button[type=submit]"));
    await(() -> browser.getCurrentUrl(), url -> url.contains("namePrefix=console-"));
    awaitRow(TENANT, "READY");
    browser.get(conductor.url() + "/ui/#/tenants?status=FAILED");
    awaitText(By.cssSelector("section[aria-label='Tenants']"), "No tenants match.");
    awaitGone(TENANT);
    browser.get(conductor.url() + "/ui/#/overview");
    awaitText(By.id("jobs-submitted"), "3");
    awaitText(By.id("jobs-finished"), "1");
    // Tenants counted from the metrics' gauge, not by listing them all.
    await(() -> find(By.cssSelector("#tenants-total .value")).getText(), "1"::equals);
    // The charts draw once a few scrapes (every 5 s) have measured an interval.
    await(
        () -> find(By.id("chart-throughput")).findElements(By.tagName("svg")).size(),
        charts -> charts == 1);
    assertThat(find(By.id("chart-failures")).getText()).contains("finished jobs that failed");
    screenshot("overview");

    // Delete, confirmed by typing the name; its operation ends and the tenant is DELETED.
    browser.get(conductor.url() + "/ui/#/operations?tenant=" + TENANT);
    awaitText(By.tagName("main"), "PROVISION");

    // Suspend and resume; a rotated key is shown once and the old one stops working.
    browser.get(conductor.url() + "/ui/#/tenants/" + TENANT);
    awaitText(By.cssSelector("main dl"), "READY");
    screenshot("tenant");
    click(By.xpath("//button[text()='Suspend']"));
    awaitText(By.cssSelector("main dl"), "SUSPENDED");
    assertThat(conductor.postJob(apiKey, longJob("proxy-eu")).statusCode()).isEqualTo(403);
    click(By.xpath("//button[text()='Resume']"));
    awaitText(By.cssSelector("main dl"), "READY");
    click(By.id("rotate"));
    click(By.id("confirm-rotate"));
    String rotated = await(() -> find(By.id("api-key")).getText(), key -> key.startsWith("ck_"));
    assertThat(rotated).isNotEqualTo(apiKey);
    assertThat(conductor.postJob(apiKey, longJob("proxy-eu")).statusCode()).isEqualTo(401);
    click(By.id("delete"));
    type(By.id("confirm-name"), TENANT);
    click(By.id("confirm-delete"));
    awaitText(By.id("action-outcome"), "DELETING");
    click(By.linkText("Follow the operation"));
    awaitText(By.id("operation-end"), "SUCCEEDED");
    awaitText(By.id("tenant-now"), "DELETED");
    assertThat(conductor.tenant(TENANT).get("status").asText()).isEqualTo("DELETED");
    assertThat(conductor.workerProcesses()).isEmpty();

    // The token was never in an address; signing out forgets it.
    assertThat(browser.getCurrentUrl()).doesNotContain(conductor.adminToken());
    click(By.id("sign-out"));
    find(By.id("sign-in"));
    assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length"))
        .isEqualTo(0L);
  }

  private static String longJob(String affinityKey) {
    return "{\"type\":\"sleep\",\"payload\":{\"ms\":50000},\"affinityKey\":\""
        + affinityKey
        + "\"}";
  }

  /** The id of a live worker of the tenant for that affinity key, or null while there is none. */
  private String liveWorker(String affinityKey) {
    for (JsonNode worker : Json.parse(conductor.get("/v1/workers?tenant=" + TENANT).body())) {
      if (worker.path("affinityKey").asText().equals(affinityKey)) {
        return worker.get("id").asText();
      }
    }
    return null;
  }

  private void signIn(String token) {
    WebElement field = find(By.id("token"));
    field.clear();
    field.sendKeys(token);
    click(By.cssSelector("#sign-in button[type=submit]"));
  }

  private void awaitRow(String key, String status) {
    awaitText(By.cssSelector("tr[data-key='" + key + "'] [data-status]"), status);
  }

  private void awaitGone(String key) {
    await(() -> browser.findElements(By.cssSelector("tr[data-key='" + key + "']")), List::isEmpty);
  }

  private void awaitText(By where, String text) {
    await(() -> find(where).getText(), shown -> shown.contains(text));
  }

  private WebElement find(By where) {
    return await(() -> browser.findElement(where), element -> true);
  }

  private void click(By where) {
    await(
        () -> {
          find(where).click();
          return true;
        },
        done -> done);
  }

  private void type(By where, String text) {
    find(where).sendKeys(text);
  }

  /**
   * Waits for the page (which re-renders as it refreshes) to show what the test expects; failing,
   * says what the page showed instead and keeps its screenshot as failure.png.
   */
  private <T> T await(Supplier<T> value, java.util.function.Predicate<T> condition) {
    try {
      return Awaitility.await()
          .atMost(LIMIT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(WebDriverException.class)
          .until(value::get, condition::test);
    } catch (ConditionTimeoutException e) {
      screenshot("failure");
      throw new AssertionError(
          "the console did not show what was expected at "
              + browser.getCurrentUrl()
              + "; it showed:\n"
              + browser.findElement(By.tagName("main")).getText()
              + "\nbrowser log: "
              + browser.manage().logs().get(LogType.BROWSER).getAll(),
          e);
    }
  }

  private void screenshot(String page) {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    try {
      Path local = Path.of("target", "console-screenshots");
      Files.createDirectories(local);
      Files.write(local.resolve(page + ".png"), png);
      String wanted = System.getProperty("console.screenshots");
      if (wanted != null && !wanted.isBlank()) {
        Files.createDirectories(Path.of(wanted));
        Files.write(Path.of(wanted, page + ".png"), png);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
