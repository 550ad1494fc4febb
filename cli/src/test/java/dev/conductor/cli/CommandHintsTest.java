package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Every command the CLI's own messages tell users to run exists, with the options they name. */
class CommandHintsTest {

  // A hint is quoted ('conductor tenants create') or follows a colon ("retry with: conductor ...").
  private static final Pattern HINT =
      Pattern.compile("('|: )conductor ([a-z][a-z-]*(?: [a-z][a-z-]*)*)");
  private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");

  @Test
  @Timeout(30)
  void everyCommandNamedInTheCliSourcesExists() throws IOException {
    List<String> hints = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(source)) {
          Matcher hint = HINT.matcher(line);
          while (hint.find()) {
            String rest = line.substring(hint.end());
            String options =
                hint.group(1).equals("'")
                    ? rest.substring(0, Math.max(0, rest.indexOf('\'')))
                    : rest;
            String problem = problem(hint.group(2), options);
            hints.add(hint.group(0));
            if (problem != null) {
              wrong.add(source.getFileName() + ": '" + line.strip() + "': " + problem);
            }
          }
        }
      }
    }

    assertThat(hints).as("hints found in the sources").hasSizeGreaterThan(5);
    assertThat(wrong).isEmpty();
  }

  /** What is wrong with {@code conductor WORDS ... OPTIONS}, or null if it would run. */
  private static String problem(String words, String options) {
    CommandLine command = ConductorCli.commandLine(Map.of());
    for (String word : words.split(" ")) {
      CommandLine sub = command.getSubcommands().get(word);
      if (sub == null) {
        break;
      }
      command = sub;
    }
    if (!command.getSubcommands().isEmpty()) {
      return "'" + command.getCommandSpec().qualifiedName() + "' needs a subcommand";
    }
    Matcher option = OPTION.matcher(options);
    while (option.find()) {
      if (command.getCommandSpec().findOption(option.group()) == null) {
        return "'" + command.getCommandSpec().qualifiedName() + "' has no option " + option.group();
      }
    }
    return null;
  }
}
