package dev.conductor.home;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Checks, before anything starts, that the ports the conductor will listen on are free. */
public final class LocalPorts {
  private LocalPorts() {}

  /**
   * Fails at once with one line naming the setting when {@code host:port} cannot be listened on, so
   * a second conductor on the machine does not get half-way up first. Port 0 or less: skipped.
   */
  public static void requireFree(String host, int port, String what, String setting) {
    if (port <= 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (UnknownHostException e) {
      throw new InvalidSettingException(what + " " + port + ": unknown host " + host);
    } catch (IOException e) {
      throw inUse(what, port, setting, e);
    }
  }

  /** Fails with one line naming the setting when {@code host} is not a known name or address. */
  public static void requireKnownHost(String host, String setting) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new InvalidSettingException("unknown host '" + host + "': set " + setting);
    }
  }

  /** "in use" for the common case, the system's own reason otherwise (e.g. a foreign address). */
  public static InvalidSettingException inUse(
      String what, int port, String setting, IOException e) {
    boolean taken = e instanceof BindException && String.valueOf(e.getMessage()).contains("in use");
    return new InvalidSettingException(
        what
            + " "
            + port
            + (taken
                ? " is in use by another program: stop it or set "
                : " cannot be listened on (" + e.getMessage() + "): set ")
            + setting);
  }

  static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Parses a port setting whose values run from {@code lowest} (0 or -1: pick one) to 65535. */
  public static int parse(String value, int lowest, String setting) {
    try {
      int port = Integer.parseInt(value.strip());
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
