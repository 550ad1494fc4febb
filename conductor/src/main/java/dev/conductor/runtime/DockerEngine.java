package dev.conductor.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/** A client of a Docker engine's API (unix socket or tcp), as {@code DOCKER_HOST} names one. */
public final class DockerEngine {
  private static final String LOCAL_SOCKET = "unix:///var/run/docker.sock";

  private DockerEngine() {}

  /** The engine at {@code host}; unset: {@code DOCKER_HOST}, else the local socket. */
  public static String hostOf(@Nullable String host) {
    if (host != null && !host.isBlank()) {
      return host;
    }
    String fromEnvironment = System.getenv("DOCKER_HOST");
    return fromEnvironment == null || fromEnvironment.isBlank() ? LOCAL_SOCKET : fromEnvironment;
  }

  public static DockerClient connect(String host) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(32)
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
