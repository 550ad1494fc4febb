package dev.conductor.messaging;

import java.util.Objects;

/**
 * What a worker is granted to reach its bus: the address ({@code tcp://host:port} for Artemis, the
 * namespace host for Service Bus), its credentials, and over how many physical topics each job
 * topic is sharded (Service Bus; other buses ignore it). {@link #toString()} hides the password and
 * the URL's query, which may carry key-store passwords.
 */
public record BusAccess(String url, BusCredentials credentials, int topicShards) {
  /** The most physical topics one job topic may be sharded over. */
  public static final int MAX_TOPIC_SHARDS = 1_000;

  public BusAccess {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(credentials, "credentials");
    if (topicShards < 1 || topicShards > MAX_TOPIC_SHARDS) {
      throw new IllegalArgumentException("topicShards must be from 1 to " + MAX_TOPIC_SHARDS);
    }
  }

  /** {@code url} without its query, which may carry key-store passwords: safe to log or show. */
  public static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  @Override
  public String toString() {
    return "BusAccess[url="
        + withoutQuery(url)
        + ", credentials="
        + credentials
        + ", topicShards="
        + topicShards
        + "]";
  }
}
