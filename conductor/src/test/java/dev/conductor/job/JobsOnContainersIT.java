package dev.conductor.job;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.DockerEngine;
import dev.conductor.runtime.DockerWorkerRuntime;
import dev.conductor.runtime.WorkerImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
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
