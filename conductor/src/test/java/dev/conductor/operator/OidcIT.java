package dev.conductor.operator;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * OpenID Connect bearer tokens against a tiny issuer run here (JDK HttpServer: a discovery document
 * and a JWKS): a valid RS256 token acts with its role claim's role and is audited under its
 * subject; any other token is 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OidcIT {
  private static final String AUDIENCE = "conductor";
  private HttpServer issuerServer;
  private String issuer;
  private RSAKey key;
  private RunningConductor conductor;

  @BeforeAll
  void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    issuerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort();
    issuerServer.createContext(
        "/.well-known/openid-configuration",
        exchange ->
            answer(
                exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}"));
    issuerServer.createContext(
        "/keys", exchange -> answer(exchange, new JWKSet(key.toPublicJWK()).toString()));
    issuerServer.start();
    conductor =
        RunningConductor.start(
            Map.of("conductor.auth.oidc.issuer", issuer, "conductor.auth.oidc.audience", AUDIENCE));
  }

  @AfterAll
  void stop() {
    if (conductor != null) {
      conductor.close();
    }
    if (issuerServer != null) {
      issuerServer.stop(0);
    }
  }

  @Test
  void aValidTokenActsWithItsRoleAndIsAuditedUnderItsSubject() throws Exception {
    String operator = signed(claims("alice", List.of("read-only", "operator")));
    assertThat(send(operator, "GET", "/v1/tenants").statusCode()).isEqualTo(200);
    assertThat(
            assertProblem(send(operator, "GET", "/v1/admin/operators"), 403).get("detail").asText())
        .contains("'oidc:alice' has role operator");

    String admin = signed(claims("root", "admin"));
    assertThat(send(admin, "GET", "/v1/admin/operators").statusCode()).isEqualTo(200);
    assertProblem(send(operator, "DELETE", "/v1/admin/operators/nobody"), 403);
    assertThat(
            Json.parse(conductor.get("/v1/admin/audit?actor=oidc:alice").body())
                .get("items")
                .findValuesAsText("action"))
        .containsExactly("operator.revoke");
  }

  @Test
  void anyOtherTokenIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    List<String> refused =
        List.of(
            signed(claims("eve", "admin").issuer("http://elsewhere").build()),
            signed(claims("eve", "admin").audience("another-app").build()),
            signed(
                claims("eve", "admin")
                    .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1))))
                    .build()),
            signed(claims("eve", "admin").build(), stranger),
            hmac(claims("eve", "admin").build()),
            signed(claims("eve", "superuser").build()),
            signed(
                new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .audience(AUDIENCE)
                    .subject("eve")
                    .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
                    .build()),
            "not.a.jwt");
    for (String token : refused) {
      assertProblem(send(token, "GET", "/v1/tenants"), 401);
    }
  }

  @Test
  void anIssuerThatCannotBeReachedIsAnOutageNotARefusal() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String gone = "http://127.0.0.1:" + closed;
    try (RunningConductor cut =
        RunningConductor.start(
            Map.of("conductor.auth.oidc.issuer", gone, "conductor.auth.oidc.audience", AUDIENCE))) {
      String token = signed(claims("alice", "admin").issuer(gone).build());
      HttpResponse<String> answer =
          cut.send(
              HttpRequest.newBuilder(cut.url().resolve("/v1/tenants"))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(30))
                  .GET());
      assertThat(assertProblem(answer, 503).get("detail").asText()).contains("OpenID Connect");
      // The bootstrap token does not depend on the issuer.
      assertThat(cut.get("/v1/tenants").statusCode()).isEqualTo(200);
    }
  }

  private JWTClaimsSet.Builder claims(String subject, Object role) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(AUDIENCE)
        .subject(subject)
        .claim("conductor_role", role)
        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))));
  }

  private String signed(JWTClaimsSet.Builder claims) throws Exception {
    return signed(claims.build(), key);
  }

  private String signed(JWTClaimsSet claims) throws Exception {
    return signed(claims, key);
  }

  private static String signed(JWTClaimsSet claims, RSAKey with) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(with));
    return jwt.serialize();
  }

  /** An HS256 token keyed with the issuer's public key: RS256 only, so never accepted. */
  private String hmac(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims);
    jwt.sign(new MACSigner(key.toPublicJWK().toRSAPublicKey().getEncoded()));
    return jwt.serialize();
  }

  private HttpResponse<String> send(String token, String method, String path) {
    return conductor.send(
        HttpRequest.newBuilder(conductor.url().resolve(path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private static void answer(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
