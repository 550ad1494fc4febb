package dev.conductor.bench;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The least a JVM client can do for {@code tenants list}: one GET of {@code /v1/tenants}, the body
 * printed as it came, no picocli, no Jackson. (e) runs it as its own process to show what a thin
 * JVM CLI could reach: {@code TenantsProbe http|url URL TOKEN} (java.net.http or
 * HttpURLConnection).
 */
public final class TenantsProbe {
  private TenantsProbe() {}

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[1]).resolve("/v1/tenants");
    String authorization = "Bearer " + args[2];
    if (args[0].equals("http")) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri).header("Authorization", authorization).build(),
                  HttpResponse.BodyHandlers.ofString());
      System.out.println(response.body());
      System.exit(response.statusCode() == 200 ? 0 : 1);
    }
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setRequestProperty("Authorization", authorization);
    try (InputStream body = connection.getInputStream()) {
      body.transferTo(System.out);
    }
    System.out.println();
    System.exit(connection.getResponseCode() == 200 ? 0 : 1);
  }
}
