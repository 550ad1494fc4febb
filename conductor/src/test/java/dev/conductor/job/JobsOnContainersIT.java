package dev.conductor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.DockerEngine;
import dev.conductor.runtime.DockerWorkerRuntime;
import dev.conductor.runtime.WorkerImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The jobs end-to-end scenarios on the docker runtime: each worker a container of the worker image
 * on the local engine (host network, to reach the embedded broker). Skipped at once, saying why,
 * without an engine or the image.
 */
@ExtendWith(WorkerImage.class)
class JobsOnContainersIT extends JobsEndToEndContract {
  private final DockerClient docker = DockerEngine.connect(DockerEngine.hostOf(null));

  @Override
  protected Map<String, Object> properties() {
    Map<String, Object> properties = super.properties();
    properties.put("conductor.runtime.kind", "docker");
    properties.put("conductor.runtime.docker.image", WorkerImage.IMAGE);
    return properties;
  }

  @Override
  protected void kill(String workerId) {
    docker.killContainerCmd("worker-" + workerId).exec();
    // The engine's word that it died (it may be removed at once, once its exit is recorded).
    Awaitility.await("the worker container ended")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        docker
                            .listContainersCmd()
                            .withLabelFilter(Map.of(DockerWorkerRuntime.WORKER_LABEL, workerId))
                            .exec())
                    .as("running containers of the worker")
                    .isEmpty());
  }

  @Override
  protected List<String> environmentOf(String workerId) {
    return List.of(docker.inspectContainerCmd("worker-" + workerId).exec().getConfig().getEnv());
  }

  @Override
  protected List<Container> workersRunning() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerWorkerRuntime.HOME_LABEL, home()))
        .exec();
  }

  @Override
  protected void afterStop() {
    try {
      docker.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String home() {
    return conductor.server().context().getBean(ConductorHome.class).root().toString();
  }
}
