package dev.conductor.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the local Docker engine holds, asked over its unix socket with plain Engine API requests, so
 * that the thin CLI carries no Docker client: whether the worker image is there, which worker
 * containers of a conductor home are left (the docker runtime labels each with its home), and the
 * home's class-data volume, removed with the demo's home.
 */
public final class EngineContainers {
  // The docker runtime's label (DockerWorkerRuntime.HOME_LABEL).
  private static final String HOME_LABEL = "dev.conductor.home";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path socket;

  private EngineContainers(Path socket) {
    this.socket = socket;
  }

  /** The engine of {@code DOCKER_HOST} (a unix socket), else the local default. */
  public static EngineContainers local(Map<String, String> environment) {
    String host = environment.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    URI uri = URI.create(host);
    if (!"unix".equals(uri.getScheme())) {
      throw new IllegalArgumentException("DOCKER_HOST " + host + " is not a unix socket");
    }
    return new EngineContainers(Path.of(uri.getPath()));
  }

  /** Whether the engine answers and holds {@code image}. */
  public boolean hasImage(String image) {
    try {
      return get("/images/" + image + "/json").startsWith("200");
    } catch (IOException e) {
      return false;
    }
  }

  /** Names and states of the containers labelled with {@code home}, ended ones included. */
  public List<String> workersOf(Path home) throws IOException {
    String filter = "{\"label\":[\"" + HOME_LABEL + "=" + home + "\"]}";
    String answer =
        get("/containers/json?all=1&filters=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    if (!answer.startsWith("200")) {
      throw new IOException("the Docker engine answered " + answer.lines().findFirst().orElse(""));
    }
    List<String> containers = new ArrayList<>();
    for (JsonNode container : JSON.readTree(answer.substring(answer.indexOf('\n') + 1))) {
      containers.add(
          container.path("Names").path(0).asText() + " " + container.path("State").asText());
    }
    return containers;
  }

  /** Removes the volumes labelled with {@code home} (the docker runtime's class data). */
  public void removeVolumesOf(Path home) throws IOException {
    String filter = "{\"label\":[\"" + HOME_LABEL + "=" + home + "\"]}";
    String answer = get("/volumes?filters=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    if (!answer.startsWith("200")) {
      throw new IOException("the Docker engine answered " + answer.lines().findFirst().orElse(""));
    }
    for (JsonNode volume :
        JSON.readTree(answer.substring(answer.indexOf('\n') + 1)).path("Volumes")) {
      String name = volume.path("Name").asText();
      String removed =
          request("DELETE", "/volumes/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
      if (!removed.startsWith("204") && !removed.startsWith("404")) {
        throw new IOException(
            "the Docker engine did not remove volume " + name + ": " + removed.strip());
      }
    }
  }

  private String get(String path) throws IOException {
    return request("GET", path);
  }

  /** The status code, a newline, then the body (HTTP/1.0: the engine closes when done). */
  private String request(String method, String path) throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      channel.write(
          ByteBuffer.wrap(
              (method + " " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      InputStream in = Channels.newInputStream(channel);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      String response = bytes.toString(StandardCharsets.UTF_8);
      String status = response.lines().findFirst().orElse("").split(" ", 3)[1];
      int body = response.indexOf("\r\n\r\n");
      return status + "\n" + (body < 0 ? "" : response.substring(body + 4));
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IOException("not an HTTP answer from " + socket);
    }
  }
}
