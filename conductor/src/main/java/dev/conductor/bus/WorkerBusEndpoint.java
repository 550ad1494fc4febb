package dev.conductor.bus;

import java.util.Map;

/**
 * What a worker is told about the bus besides its own credentials: the adapter ({@code
 * CONDUCTOR_BUS_KIND}), where the bus is ({@code CONDUCTOR_BUS_URL}: an Artemis URL, or the Service
 * Bus namespace host) and how many physical topics a job topic has ({@code
 * CONDUCTOR_BUS_TOPIC_SHARDS}, always 1 on Artemis).
 */
public record WorkerBusEndpoint(String kind, String url, int topicShards) {

  /** The worker's environment variables for all of the above. */
  public Map<String, String> environment() {
    return Map.of(
        "CONDUCTOR_BUS_KIND", kind,
        "CONDUCTOR_BUS_URL", url,
        "CONDUCTOR_BUS_TOPIC_SHARDS", Integer.toString(topicShards));
  }
}
