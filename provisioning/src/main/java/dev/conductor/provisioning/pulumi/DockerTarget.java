package dev.conductor.provisioning.pulumi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Docker engine on the operator's machine: tenant containers join an existing network, and each
 * tenant's PostgreSQL publishes its port on the host.
 *
 * @param network an existing Docker network that tenant containers join (and the conductor's
 *     workers, so they reach each other by container name)
 * @param postgresImage the image of tenant databases, e.g. {@code postgres:17}
 * @param appImage the tenant app's image, the same for every tenant
 * @param publishedHost the host name under which published ports are reached, e.g. {@code
 *     localhost}
 */
public record DockerTarget(
    String network, String postgresImage, String appImage, String publishedHost)
    implements StackTarget {

  public static final String KIND = "docker";

  public DockerTarget {
    requireText("dockerNetwork", network);
    requireText("dockerPostgresImage", postgresImage);
    requireText("dockerAppImage", appImage);
    requireText("dockerPublishedHost", publishedHost);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Map<String, String> toConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("dockerNetwork", network);
    config.put("dockerPostgresImage", postgresImage);
    config.put("dockerAppImage", appImage);
    config.put("dockerPublishedHost", publishedHost);
    return config;
  }

  static DockerTarget fromConfig(StackConfigReader config) {
    return new DockerTarget(
        config.require("dockerNetwork"),
        config.require("dockerPostgresImage"),
        config.require("dockerAppImage"),
        config.require("dockerPublishedHost"));
  }

  private static void requireText(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
  }
}
