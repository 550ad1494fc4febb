package dev.conductor.messaging;

import java.util.Objects;

/**
 * A principal and its password for connecting to the bus; {@link #toString()} hides the password.
 */
public record BusCredentials(String user, String password) {
  public BusCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "BusCredentials[user=" + user + ", password=****]";
  }
}
