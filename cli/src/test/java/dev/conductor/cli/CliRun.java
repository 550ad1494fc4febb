package dev.conductor.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One execution of the CLI with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code args} on the command tree main builds for them. */
  static CliRun execute(Map<String, String> environment, String... args) {
    return execute(ConductorCli.commandLine(environment, false, args), args);
  }

  static CliRun execute(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }
}
