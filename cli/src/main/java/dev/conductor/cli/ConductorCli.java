package dev.conductor.cli;

import dev.conductor.api.ProductVersion;
import jakarta.annotation.Nullable;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code conductor} command: operator verbs over the HTTP API, and the server itself. */
@Command(
    name = "conductor",
    mixinStandardHelpOptions = true,
    versionProvider = ConductorCli.Version.class,
    description = "Control plane for silo-per-tenant SaaS.")
public final class ConductorCli implements Callable<Integer> {

  private final Map<String, String> environment;
  private final boolean interactive;
  private final Supplier<Reader> source;
  // Opened by the first question: most commands never read stdin.
  private @Nullable BufferedReader input;

  @Spec CommandSpec spec;

  /**
   * @param environment where CONDUCTOR_URL, CONDUCTOR_TOKEN, CONDUCTOR_API_KEY, CONDUCTOR_HOME and
   *     MICRONAUT_SERVER_PORT are looked up, instead of the process environment
   * @param interactive whether output goes to a terminal (enables the updating progress line)
   */
  public ConductorCli(Map<String, String> environment, boolean interactive) {
    this(
        environment, interactive, () -> new InputStreamReader(System.in, Charset.defaultCharset()));
  }

  /**
   * @param input where answers to questions are read (the terminal's stdin)
   */
  ConductorCli(Map<String, String> environment, boolean interactive, Reader input) {
    this(environment, interactive, () -> input);
  }

  private ConductorCli(
      Map<String, String> environment, boolean interactive, Supplier<Reader> source) {
    this.environment = Map.copyOf(environment);
    this.interactive = interactive;
    this.source = source;
  }

  /**
   * A ready-to-execute CLI with every command, that reads {@code environment} and writes plain
   * (non-terminal) lines.
   */
  public static CommandLine commandLine(Map<String, String> environment) {
    return commandLine(environment, false);
  }

  public static CommandLine commandLine(Map<String, String> environment, boolean interactive) {
    return commandLine(environment, interactive, new String[0]);
  }

  /**
   * A CLI with only the commands that {@code args} name ({@link CommandTree}), to execute exactly
   * those arguments.
   */
  static CommandLine commandLine(
      Map<String, String> environment, boolean interactive, String... args) {
    return commandLine(new ConductorCli(environment, interactive), args);
  }

  static CommandLine commandLine(ConductorCli root, String... args) {
    CommandLine cli = new CommandLine(root);
    // The tree first: picocli hands these settings only to the subcommands it has at the time.
    CommandTree.addTo(cli, args);
    ErrorReporter errors = new ErrorReporter();
    return cli.setCaseInsensitiveEnumValuesAllowed(true)
        .setExitCodeExceptionMapper(new ExitCodes())
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv(), System.console() != null, args).execute(args));
  }

  public Map<String, String> environment() {
    return environment;
  }

  public boolean interactive() {
    return interactive;
  }

  /**
   * Asks for a secret on the terminal without echoing it when there is a console; null at the end
   * of input.
   */
  @Nullable
  public String readSecret(String prompt, PrintWriter err) {
    Console console = System.console();
    if (console != null && interactive) {
      char[] typed = console.readPassword("%s", prompt);
      return typed == null ? null : new String(typed);
    }
    err.print(prompt);
    err.flush();
    return readLine();
  }

  /** The next line the person at the terminal typed; null at the end of input. */
  @Nullable
  String readLine() {
    if (input == null) {
      input = new BufferedReader(source.get());
    }
    try {
      return input.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"conductor " + ProductVersion.current()};
    }
  }
}
