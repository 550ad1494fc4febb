package dev.conductor.api;

/** Missing, wrong or revoked credentials: 401. */
public class UnauthorizedException extends RuntimeException {
  public UnauthorizedException(String message) {
    super(message);
  }
}
