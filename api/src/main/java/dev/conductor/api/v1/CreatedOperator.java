package dev.conductor.api.v1;

import java.time.Instant;

/** A new operator token, shown once: only its hash is kept. */
public record CreatedOperator(String name, String role, String token, Instant createdAt) {
  @Override
  public String toString() {
    return "CreatedOperator[name=" + name + ", role=" + role + "]";
  }
}
