package dev.conductor.messaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Asks the local Docker daemon, through its Engine API, whether it holds the images a test needs. A
 * test needing an absent image would have Docker pull it, which hangs for many minutes on a host
 * whose daemon reaches no registry; such tests skip at once instead, naming what is missing.
 */
public final class DockerImages implements ExecutionCondition {
  private static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
  // A daemon that answers at all answers an image lookup in milliseconds.
  private static final long PATIENCE_SECONDS = 5;
  // What Testcontainers 1.20's RyukContainer runs (not readable without pulling it): bump with it.
  private static final String RYUK_IMAGE = "testcontainers/ryuk:0.11.0";

  /**
   * Skips a Testcontainers test class unless the daemon answers and holds every image named, and
   * Testcontainers' own Ryuk image unless {@code TESTCONTAINERS_RYUK_DISABLED=true}.
   */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(DockerImages.class)
  public @interface Needed {
    String[] value();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<Needed> needed =
        context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, Needed.class));
    if (needed.isEmpty()) {
      return ConditionEvaluationResult.enabled("needs no Docker image");
    }
    List<String> images = new ArrayList<>(Arrays.asList(needed.get().value()));
    testcontainersRyuk().ifPresent(images::add);
    return missing(images)
        .map(ConditionEvaluationResult::disabled)
        .orElseGet(() -> ConditionEvaluationResult.enabled("the Docker images are present"));
  }

  /** Why the images cannot be used here (no daemon, or which are absent), or empty if they can. */
  public static Optional<String> missing(List<String> images) {
    String host = System.getenv().getOrDefault("DOCKER_HOST", DEFAULT_HOST);
    List<String> absent = new ArrayList<>();
    for (String image : images) {
      int status;
      try {
        status = status(host, "/images/" + image + "/json");
      } catch (IOException e) {
        return Optional.of(
            "needs a Docker daemon holding the images "
                + String.join(", ", images)
                + ", which come from a registry: none answers at "
                + host
                + " ("
                + e.getMessage()
                + "); runs where Docker and those images (pulled or loaded) exist");
      }
      if (status == 404) {
        absent.add(image);
      } else if (status != 200) {
        return Optional.of(
            "the Docker daemon at " + host + " answered " + status + " for " + image);
      }
    }
    if (absent.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "needs the Docker images "
            + String.join(", ", absent)
            + ", absent from the local daemon (docker pull or docker load them first: pulling in"
            + " the test could hang where no registry is reachable, as on machines without one)");
  }

  /** Testcontainers starts its Ryuk container before any other, unless Ryuk is turned off. */
  private static Optional<String> testcontainersRyuk() {
    if (Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
      return Optional.empty();
    }
    return Optional.of(RYUK_IMAGE);
  }

  /** The HTTP status of a GET on the Engine API at {@code host} (unix:// or tcp://). */
  private static int status(String host, String path) throws IOException {
    CompletableFuture<Integer> answer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return exchange(host, path);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    try {
      return answer.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new IOException("no answer within " + PATIENCE_SECONDS + " s");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof java.io.UncheckedIOException io
          ? io.getCause()
          : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static int exchange(String host, String path) throws IOException {
    byte[] request =
        ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    URI uri = URI.create(host);
    if ("unix".equals(uri.getScheme())) {
      try (SocketChannel channel =
          SocketChannel.open(UnixDomainSocketAddress.of(Path.of(uri.getPath())))) {
        channel.write(ByteBuffer.wrap(request));
        return statusOf(Channels.newInputStream(channel));
      }
    }
    if ("tcp".equals(uri.getScheme())) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        return statusOf(socket.getInputStream());
      }
    }
    throw new IOException("DOCKER_HOST " + host + " is neither unix:// nor tcp://");
  }

  /** The status code from the response's first line, e.g. "HTTP/1.0 404 Not Found". */
  private static int statusOf(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    String[] parts = line.toString(StandardCharsets.US_ASCII).trim().split(" ");
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + line);
    }
    return Integer.parseInt(parts[1]);
  }
}
