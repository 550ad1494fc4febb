package dev.conductor.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A bus URL's query may carry key-store passwords: what a worker logs of its bus access (and what
 * the worker's log then shows operators through the API) keeps the address and drops the query.
 */
class BusAccessTest {
  private static final String URL =
      "tcp://broker.internal:61617?sslEnabled=true;keyStorePassword=not-a-real-secret-42";

  @Test
  void theLoggableUrlHasNoQuery() {
    assertThat(BusAccess.withoutQuery(URL)).isEqualTo("tcp://broker.internal:61617");
    assertThat(BusAccess.withoutQuery("tcp://127.0.0.1:61616")).isEqualTo("tcp://127.0.0.1:61616");
  }

  @Test
  void toStringShowsNeitherTheQueryNorThePassword() {
    BusAccess access = new BusAccess(URL, new BusCredentials("worker", "pw-not-shown-7"), 1);

    assertThat(access.toString())
        .contains("tcp://broker.internal:61617", "worker")
        .doesNotContain("not-a-real-secret-42", "pw-not-shown-7", "?");
  }
}
