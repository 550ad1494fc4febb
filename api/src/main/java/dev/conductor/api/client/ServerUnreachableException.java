package dev.conductor.api.client;

import java.net.URI;

/** No HTTP exchange with the conductor was possible: refused, unresolvable, timed out, dropped. */
public final class ServerUnreachableException extends RuntimeException {

  private final URI server;

  public ServerUnreachableException(URI server, String reason, Throwable cause) {
    super("cannot reach the conductor at " + server + " (" + reason + ")", cause);
    this.server = server;
  }

  public URI server() {
    return server;
  }
}
