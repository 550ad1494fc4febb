package dev.conductor.cli;

import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.ServerUnreachableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Prints each failure as one {@code error:} line on stderr; a stack trace only for bugs. */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  private final ExitCodes exitCodes = new ExitCodes();

  @Override
  public int handleExecutionException(
      Exception failure, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (ExitCodes.isExpected(failure)) {
      err.println("error: " + failure.getMessage() + hint(failure, command));
    } else {
      err.println("error: unexpected failure, please report it: " + failure);
      failure.printStackTrace(err);
    }
    err.flush();
    return exitCodes.getExitCode(failure);
  }

  @Override
  public int handleParseException(ParameterException failure, String[] args) {
    CommandLine command = failure.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(
        "error: "
            + failure.getMessage()
            + suggestion(failure)
            + " (see '"
            + command.getCommandSpec().qualifiedName()
            + " --help')");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** "; did you mean ..." for a mistyped verb or option, as picocli finds close names. */
  private static String suggestion(ParameterException failure) {
    if (!(failure instanceof UnmatchedArgumentException unmatched)) {
      return "";
    }
    List<String> close = unmatched.getSuggestions();
    if (close.isEmpty()) {
      return "";
    }
    return "; did you mean "
        + close.stream().limit(3).map(name -> "'" + name + "'").collect(Collectors.joining(" or "))
        + "?";
  }

  /** Whole seconds, rounded up: "retry in 0s" would invite the same refusal. */
  private static String seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000) + "s";
  }

  private static String hint(Exception failure, CommandLine command) {
    if (failure instanceof ServerUnreachableException
        && failure.getCause() instanceof SSLHandshakeException) {
      return "; pass the CA certificate that signed it with --ca-file PATH (or CONDUCTOR_CA_FILE)";
    }
    if (failure instanceof ServerUnreachableException) {
      return "; start one with 'conductor server' or point --server (or CONDUCTOR_URL) at it";
    }
    if (!(failure instanceof ApiException api)) {
      return "";
    }
    if (api.status() == 429) {
      return api.retryAfter().map(wait -> "; retry in " + seconds(wait)).orElse("; retry later");
    }
    // Verbs of the job API authenticate with the tenant's key, the others with the operator token.
    if (command.getCommandSpec().findOption("--api-key") != null) {
      return api.status() == 401
          ? "; pass --api-key or set CONDUCTOR_API_KEY to the tenant's API key"
          : "";
    }
    if (ExitCodes.forHttpStatus(api.status()) == ExitCodes.UNAUTHORIZED) {
      return "; pass --token or set CONDUCTOR_TOKEN to the operator token";
    }
    return "";
  }
}
