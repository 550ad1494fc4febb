package dev.conductor.cli;

/** Input the CLI checks itself before sending it, refused as the server would refuse it (4xx). */
public final class InvalidInputException extends RuntimeException {

  public InvalidInputException(String message) {
    super(message);
  }
}
