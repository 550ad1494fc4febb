package dev.conductor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar built in {@code package}: {@code java -jar conductor-worker.jar}, and with a
 * handler jar {@code java -cp conductor-worker.jar:handlers.jar dev.conductor.worker.WorkerMain}.
 */
class ShadedWorkerJarIT extends WorkerProcessIT {
  private static final Path JAR = Path.of(System.getProperty("conductor.worker.jar"));

  @Override
  List<String> launch(List<Path> handlerJars) {
    // As the README has it: -jar ignores -cp, so handler jars need the main class.
    return handlerJars.isEmpty()
        ? List.of("-jar", JAR.toString())
        : List.of("-cp", classPath(JAR.toString(), handlerJars), WorkerMain.class.getName());
  }

  @Test
  void holdsTheBusClientAndBuiltInHandlersButNoBroker() throws IOException {
    assertThat(JAR).exists();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(WorkerMain.class.getName());
      assertThat(jar.getEntry("org/apache/activemq/artemis/api/core/client/ActiveMQClient.class"))
          .isNotNull();
      // The client shares the package name; the broker's own classes and metadata stay out.
      assertThat(jar.getEntry("org/apache/activemq/artemis/core/server/ActiveMQServer.class"))
          .isNull();
      assertThat(jar.stream().map(entry -> entry.getName()))
          .noneMatch(name -> name.startsWith("META-INF/maven/org.apache.activemq/artemis-server/"));
      String services =
          new String(
              jar.getInputStream(jar.getEntry("META-INF/services/" + JobHandler.class.getName()))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(services.lines())
          .containsExactly(
              "dev.conductor.worker.handler.EchoHandler",
              "dev.conductor.worker.handler.SleepHandler",
              "dev.conductor.worker.handler.FailHandler");
      assertThat(Files.size(JAR)).isLessThan(30L * 1024 * 1024);
    }
  }

  @Test
  void holdsNoOtherBus() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.stream().map(entry -> entry.getName()))
          .noneMatch(name -> name.startsWith("com/azure/"))
          .noneMatch(name -> name.startsWith("dev/conductor/messaging/servicebus/"));
      String providers =
          new String(
              jar.getInputStream(
                      jar.getEntry("META-INF/services/dev.conductor.messaging.MessageBusProvider"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(providers.lines())
          .containsExactly("dev.conductor.messaging.artemis.ArtemisMessageBusProvider");
    }
  }
}
