package dev.conductor.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.ConductorServer;
import dev.conductor.home.InvalidSettingException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on the conductor's HTTP port: trusted with its CA, refused without, bad files refused. */
class ServerTlsIT {
  @TempDir Path temp;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aSelfSignedCertificateIsServedTrustedWithItsCaAndReusedAcrossRestarts() throws Exception {
    Path home = temp.resolve("home");
    Map<String, Object> properties = properties(home);
    properties.put("conductor.tls.self-signed", "true");
    Path ca = home.resolve(ServerCertificate.SELF_SIGNED_CERT);
    String firstCertificate;
    try (ConductorServer server = ConductorServer.start(properties)) {
      assertThat(server.url().getScheme()).isEqualTo("https");
      assertThat(Files.readString(home.resolve("server.json"))).contains("\"url\":\"https://");
      assertThat(Files.getPosixFilePermissions(ca))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(get(trusting(ca), server.url()).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(HttpClient.newHttpClient(), server.url()))
          .isInstanceOf(SSLHandshakeException.class);
      firstCertificate = Files.readString(ca);
    }
    try (ConductorServer again = ConductorServer.start(properties)) {
      assertThat(Files.readString(ca)).isEqualTo(firstCertificate);
      assertThat(get(trusting(ca), again.url()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aConfiguredPemCertificateAndKeyAreServed() throws Exception {
    Path pair = selfSignedPair(temp.resolve("maker"));
    Path home = temp.resolve("home");
    Map<String, Object> properties = properties(home);
    properties.put("conductor.tls.cert", pair.resolve("cert.pem").toString());
    properties.put("conductor.tls.key", pair.resolve("key.pem").toString());
    try (ConductorServer server = ConductorServer.start(properties)) {
      assertThat(server.url().getScheme()).isEqualTo("https");
      assertThat(get(trusting(pair.resolve("cert.pem")), server.url()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void badFilesStopTheStartNamingTheSettingWithoutKeyMaterial() throws Exception {
    Path pair = selfSignedPair(temp.resolve("maker"));
    Path home = temp.resolve("home");
    Map<String, Object> missing = properties(home);
    missing.put("conductor.tls.cert", temp.resolve("nope.pem").toString());
    missing.put("conductor.tls.key", pair.resolve("key.pem").toString());
    assertThatThrownBy(() -> ConductorServer.start(missing))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("CONDUCTOR_TLS_CERT")
        .hasMessageContaining("is not a file");

    Path garbage = temp.resolve("garbage.pem");
    Files.writeString(
        garbage, "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0\n-----END RSA PRIVATE KEY-----\n");
    Map<String, Object> unreadable = properties(home);
    unreadable.put("conductor.tls.cert", pair.resolve("cert.pem").toString());
    unreadable.put("conductor.tls.key", garbage.toString());
    assertThatThrownBy(() -> ConductorServer.start(unreadable))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("CONDUCTOR_TLS_KEY")
        .hasMessageNotContaining("c2VjcmV0");

    Path otherKey = temp.resolve("other-key.pem");
    PrivateKey other = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
    Files.writeString(otherKey, pem("PRIVATE KEY", other.getEncoded()));
    Map<String, Object> mismatch = properties(home);
    mismatch.put("conductor.tls.cert", pair.resolve("cert.pem").toString());
    mismatch.put("conductor.tls.key", otherKey.toString());
    String otherBase64 = Base64.getEncoder().encodeToString(other.getEncoded());
    assertThatThrownBy(() -> ConductorServer.start(mismatch))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("is not the private key of the first certificate")
        .hasMessageNotContaining(otherBase64.substring(0, 20));

    Map<String, Object> keyOnly = properties(home);
    keyOnly.put("conductor.tls.key", pair.resolve("key.pem").toString());
    assertThatThrownBy(() -> ConductorServer.start(keyOnly))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("(CONDUCTOR_TLS_CERT) is not set");
  }

  private static Map<String, Object> properties(Path home) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("conductor.home", home.toString());
    properties.put("micronaut.server.port", -1);
    properties.put("conductor.bus.artemis.embedded-port", 0);
    return properties;
  }

  /** A certificate and its key as PEM files, made the way the conductor makes its own. */
  private static Path selfSignedPair(Path home) throws Exception {
    Path out = Files.createDirectories(home.resolveSibling("pair"));
    Files.createDirectories(home);
    try (dev.conductor.home.ConductorHome opened = dev.conductor.home.ConductorHome.open(home)) {
      ServerCertificate.prepare(opened, "", "", true, "127.0.0.1");
      String password = opened.secret("tls-keystore-password");
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(home.resolve("tls/self-signed.p12"))) {
        store.load(in, password.toCharArray());
      }
      PrivateKey key = (PrivateKey) store.getKey("conductor", password.toCharArray());
      Files.writeString(out.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
      Files.copy(home.resolve(ServerCertificate.SELF_SIGNED_CERT), out.resolve("cert.pem"));
    }
    return out;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static HttpClient trusting(Path caFile) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caFile))));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).build();
  }

  private static HttpResponse<String> get(HttpClient client, URI server) throws Exception {
    return client.send(
        HttpRequest.newBuilder(server.resolve("/info")).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
