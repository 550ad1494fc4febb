package dev.conductor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar for Azure Service Bus built in {@code package}: its bus and no other. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadedServiceBusWorkerJarIT {
  private static final Path JAR = Path.of(System.getProperty("conductor.worker.jar"));

  @TempDir Path work;

  @Test
  void holdsTheServiceBusAdapterAndBuiltInHandlersButNoArtemis() throws IOException {
    assertThat(JAR).exists();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(WorkerMain.class.getName());
      assertThat(jar.getEntry("com/azure/messaging/servicebus/ServiceBusClientBuilder.class"))
          .isNotNull();
      assertThat(jar.stream().map(entry -> entry.getName()))
          .noneMatch(name -> name.startsWith("org/apache/activemq/"))
          .noneMatch(name -> name.startsWith("dev/conductor/messaging/artemis/"));
      assertThat(services(jar, "dev.conductor.messaging.MessageBusProvider"))
          .containsExactly("dev.conductor.messaging.servicebus.ServiceBusMessageBusProvider");
      assertThat(services(jar, JobHandler.class.getName()))
          .containsExactly(
              "dev.conductor.worker.handler.EchoHandler",
              "dev.conductor.worker.handler.SleepHandler",
              "dev.conductor.worker.handler.FailHandler");
      assertThat(Files.size(JAR)).isLessThan(30L * 1024 * 1024);
    }
  }

  @Test
  void anArtemisWorkerIsToldWhichJarCarriesItsBus() throws Exception {
    Path stderr = work.resolve("stderr");
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(), "-jar", JAR.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(stderr.toFile());
    builder.environment().clear();
    builder
        .environment()
        .putAll(
            Map.of(
                "CONDUCTOR_WORKER_ID", "3f2c1e9a-0b7d-4c55-9a1e-2d6f8b7c4a10",
                "CONDUCTOR_TENANT", "acme",
                "CONDUCTOR_BUS_KIND", "artemis",
                "CONDUCTOR_BUS_URL", "tcp://127.0.0.1:61616",
                "CONDUCTOR_BUS_USER", "worker",
                "CONDUCTOR_BUS_PASSWORD", "secret",
                "CONDUCTOR_JOB_TOPIC", "acme.jobs",
                "CONDUCTOR_CONTROL_QUEUE", "acme.control"));
    Process worker = builder.start();
    try {
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(worker.exitValue()).isEqualTo(WorkerMain.BAD_CONFIGURATION);
      assertThat(Files.readAllLines(stderr))
          .containsExactly(
              "conductor-worker: CONDUCTOR_BUS_KIND is 'artemis' but conductor-messaging-artemis"
                  + " is not on this worker's class path: run conductor-worker.jar");
    } finally {
      worker.destroyForcibly();
    }
  }

  private static List<String> services(JarFile jar, String service) throws IOException {
    return new String(
            jar.getInputStream(jar.getEntry("META-INF/services/" + service)).readAllBytes(),
            StandardCharsets.UTF_8)
        .lines()
        .toList();
  }
}
