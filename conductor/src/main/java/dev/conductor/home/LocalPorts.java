package dev.conductor.home;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks, before anything starts, that the ports the conductor will listen on are free. */
public final class LocalPorts {
  private LocalPorts() {}

  /**
   * Fails at once with one line naming the setting when {@code port} on {@code host} is taken, so a
   * second conductor on the machine does not get half-way up first.
   */
  public static void requireFree(String host, int port, String what, String setting) {
    if (port > 0 && !isFree(host, port)) {
      throw new InvalidSettingException(
          what + " " + port + " is in use by another program: stop it or set " + setting);
    }
  }

  static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      InetAddress address =
          host == null || host.isBlank()
              ? InetAddress.getLoopbackAddress()
              : InetAddress.getByName(host);
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Parses a port setting whose values run from {@code lowest} (0 or -1: pick one) to 65535. */
  public static int parse(Object value, int lowest, String setting) {
    try {
      int port = Integer.parseInt(value.toString().strip());
      if (port >= lowest && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the setting's name.
    }
    throw new InvalidSettingException(
        "'" + value + "' is not a valid port (" + lowest + " to 65535): set " + setting);
  }
}
