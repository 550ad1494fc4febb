package dev.conductor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The conductors an operator has logged in to ({@code conductor login}), each a named context with
 * its URL and operator token, and which one is current: {@code $CONDUCTOR_HOME/contexts.json},
 * readable by its owner only because it holds tokens.
 */
public final class Contexts {
  static final String FILE = "contexts.json";

  /** One conductor: where it is, the operator token for it and the CA file that trusts it. */
  public record Context(String server, String token, @Nullable String caFile) {
    public Context(String server, String token) {
      this(server, token, null);
    }

    @Override
    public String toString() {
      return "Context[server=" + server + "]";
    }
  }

  private final Path file;
  private final TreeMap<String, Context> contexts;
  private @Nullable String current;

  private Contexts(Path file, TreeMap<String, Context> contexts, @Nullable String current) {
    this.file = file;
    this.contexts = contexts;
    this.current = current;
  }

  /**
   * The contexts in {@code home}; none if the file does not exist.
   *
   * @throws InvalidInputException if the file is not one this CLI wrote
   */
  public static Contexts load(Path home) {
    Path file = home.resolve(FILE);
    TreeMap<String, Context> contexts = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return new Contexts(file, contexts, null);
    }
    try {
      JsonNode root = Json.parse(Files.readString(file));
      Iterator<Map.Entry<String, JsonNode>> entries = root.path("contexts").fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        String server = Json.text(entry.getValue(), "server");
        String token = Json.text(entry.getValue(), "token");
        if (server == null || token == null) {
          throw new IllegalArgumentException(
              "context '" + entry.getKey() + "' lacks its server or token");
        }
        contexts.put(
            entry.getKey(), new Context(server, token, Json.text(entry.getValue(), "caFile")));
      }
      String current = Json.text(root, "current");
      return new Contexts(
          file, contexts, current != null && contexts.containsKey(current) ? current : null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          file
              + " is not a contexts file this CLI wrote ("
              + e.getMessage()
              + "); remove it and log in again");
    }
  }

  public Map<String, Context> all() {
    return java.util.Collections.unmodifiableMap(contexts);
  }

  public Optional<String> currentName() {
    return Optional.ofNullable(current);
  }

  /**
   * The context {@code name} names, or else the current one (if any).
   *
   * @throws InvalidInputException if {@code name} names no context
   */
  public Optional<Context> select(@Nullable String name) {
    if (name != null) {
      require(name);
      return Optional.ofNullable(contexts.get(name));
    }
    return current == null ? Optional.empty() : Optional.ofNullable(contexts.get(current));
  }

  /** Adds or replaces {@code name} and makes it current. */
  public void put(String name, Context context) {
    contexts.put(name, context);
    current = name;
  }

  public void use(String name) {
    require(name);
    current = name;
  }

  public void remove(String name) {
    require(name);
    contexts.remove(name);
    if (name.equals(current)) {
      current = null;
    }
  }

  private void require(String name) {
    if (!contexts.containsKey(name)) {
      throw new InvalidInputException(
          "no context '"
              + name
              + "'"
              + (contexts.isEmpty()
                  ? "; add one with: conductor login URL"
                  : "; there are: " + String.join(", ", contexts.keySet())));
    }
  }

  /** Writes the file, owner-only from its first byte, replacing the old one at once. */
  public void save() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (current != null) {
      root.put("current", current);
    }
    ObjectNode all = root.putObject("contexts");
    contexts.forEach(
        (name, context) -> {
          ObjectNode entry =
              all.putObject(name).put("server", context.server()).put("token", context.token());
          if (context.caFile() != null) {
            entry.put("caFile", context.caFile());
          }
        });
    try {
      Files.createDirectories(file.getParent());
      Path temp =
          Files.createTempFile(
              file.getParent(),
              FILE,
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, Json.pretty(root) + "\n");
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
