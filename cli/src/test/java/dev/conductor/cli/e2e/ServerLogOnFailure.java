package dev.conductor.cli.e2e;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of the servers' logs when a test fails, next to the failure in the report. */
final class ServerLogOnFailure implements TestWatcher {

  private final Supplier<List<ConductorProcess>> servers;

  ServerLogOnFailure(Supplier<List<ConductorProcess>> servers) {
    this.servers = servers;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (ConductorProcess server : servers.get().stream().filter(Objects::nonNull).toList()) {
      System.err.println(
          context.getDisplayName() + " failed; server " + server + server.logTail(60));
    }
  }
}
