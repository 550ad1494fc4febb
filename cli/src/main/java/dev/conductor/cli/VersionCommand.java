package dev.conductor.cli;

import dev.conductor.api.ProductVersion;
import dev.conductor.api.v1.InfoView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Show this CLI's version and the version of the conductor it talks to (GET /info). The"
          + " client's line comes first, so it is there even when no server answers."
    })
public final class VersionCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() {
    String client = ProductVersion.current();
    String java = System.getProperty("java.version");
    if (!connection.structured()) {
      connection.out().println("Client: conductor " + client + " (Java " + java + ")");
      connection.out().flush();
    }
    ConnectionSettings settings = connection.settings();
    InfoView server = settings.client().info();
    String url = settings.server().toString();
    if (connection.structured()) {
      Map<String, Object> both = new LinkedHashMap<>();
      both.put("client", Map.of("version", client, "java", java));
      both.put("server", Map.of("version", server.version(), "api", server.api(), "url", url));
      connection.out().print(connection.render(both));
    } else {
      connection.out().println("Server: " + server.name() + " " + server.version() + " at " + url);
    }
    connection.out().flush();
    return ExitCodes.OK;
  }
}
