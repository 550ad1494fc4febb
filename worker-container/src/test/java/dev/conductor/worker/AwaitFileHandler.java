package dev.conductor.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * {@code await-file}: payload {@code {"path": "..."}}; runs until that file exists (or the worker
 * interrupts it), then returns the payload. A job that stays in flight exactly as long as the test
 * wants, whatever the machine's speed. Not on the test class path's handler list: a child worker
 * gets it from {@link #jar}, a handler jar as a user would add one.
 *
 * <p>One class file, with no nested or anonymous classes, so that {@link #jar} can copy it alone.
 */
public final class AwaitFileHandler implements JobHandler {
  public static final String TYPE = "await-file";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public JsonNode handle(JobContext context, JsonNode payload)
      throws JobFailure, InterruptedException {
    if (!payload.path("path").isTextual()) {
      throw new JobFailure(TYPE + " needs a payload {\"path\": \"...\"}", false);
    }
    Path path = Path.of(payload.get("path").asText());
    while (!Files.exists(path)) {
      context.checkInterrupted();
      Thread.sleep(10);
    }
    return payload;
  }

  /**
   * Writes a handler jar holding this class and its {@code META-INF/services} entry into {@code
   * directory}, for a worker's class path next to the worker itself.
   */
  static Path jar(Path directory) throws IOException {
    Path jar = Files.createTempFile(directory, "await-file-handler-", ".jar");
    String classFile = AwaitFileHandler.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(classFile));
      try (var bytes = AwaitFileHandler.class.getClassLoader().getResourceAsStream(classFile)) {
        if (bytes == null) {
          throw new IOException(classFile + " not found on the test class path");
        }
        bytes.transferTo(out);
      }
      out.closeEntry();
      out.putNextEntry(new JarEntry("META-INF/services/" + JobHandler.class.getName()));
      out.write((AwaitFileHandler.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }
}
