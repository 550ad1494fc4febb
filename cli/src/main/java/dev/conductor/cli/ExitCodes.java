package dev.conductor.cli;

import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.BadResponseException;
import dev.conductor.api.client.ServerUnreachableException;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParameterException;

/** The one place where failures become process exit codes; documented in cli/README.md. */
public final class ExitCodes implements IExitCodeExceptionMapper {

  public static final int OK = 0;
  public static final int OPERATION_FAILED = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int CONFLICT = 4;
  public static final int INVALID_REQUEST = 5;
  public static final int UNAUTHORIZED = 6;
  public static final int SERVER_ERROR = 7;
  public static final int NETWORK = 8;
  public static final int TOO_MANY_REQUESTS = 9;
  public static final int DECLINED = 10;
  public static final int INTERNAL_ERROR = 70;

  @Override
  public int getExitCode(Throwable failure) {
    return exitCode(failure);
  }

  private static int exitCode(Throwable failure) {
    if (failure instanceof ApiException api) {
      return forHttpStatus(api.status());
    }
    if (failure instanceof BadResponseException) {
      return SERVER_ERROR;
    }
    if (failure instanceof ServerUnreachableException) {
      return NETWORK;
    }
    if (failure instanceof OperationFailedException || failure instanceof JobFailedException) {
      return OPERATION_FAILED;
    }
    if (failure instanceof InvalidInputException) {
      return INVALID_REQUEST;
    }
    if (failure instanceof DeclinedException) {
      return DECLINED;
    }
    if (failure instanceof ParameterException || failure instanceof ServerNotFoundException) {
      return USAGE;
    }
    return INTERNAL_ERROR;
  }

  static int forHttpStatus(int status) {
    return switch (status) {
      case 401, 403 -> UNAUTHORIZED;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 429 -> TOO_MANY_REQUESTS;
      default -> status >= 500 ? SERVER_ERROR : INVALID_REQUEST;
    };
  }

  /** Whether the failure is one the user can act on from its message alone, without a trace. */
  static boolean isExpected(Throwable failure) {
    // Every failure with a code of its own; usage errors go to the parameter exception handler.
    return !(failure instanceof ParameterException) && exitCode(failure) != INTERNAL_ERROR;
  }
}
