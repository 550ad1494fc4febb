package dev.conductor.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.conductor.api.UpstreamUnavailableException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect bearer tokens as operator identities: an RS256 JWT signed by a key of the issuer's
 * JWKS (fetched on first use, cached, fetched again for an unknown key id), from the configured
 * issuer, for the configured audience, unexpired. Its role claim names the role (of several, the
 * most privileged); its name claim, prefixed {@code oidc:}, is the operator's name.
 */
@Singleton
@Requires(property = "conductor.auth.oidc.issuer", pattern = ".*\\S.*")
public class OidcTokens {
  private static final Logger LOG = LoggerFactory.getLogger(OidcTokens.class);
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

  /** Names of OIDC identities start so: named tokens' names cannot hold a ':'. */
  public static final String PREFIX = "oidc:";

  private final OidcSettings settings;
  private final String issuer;
  private final String audience;
  private volatile @Nullable ConfigurableJWTProcessor<SecurityContext> processor;

  OidcTokens(OidcSettings settings) {
    this.settings = settings;
    String configuredIssuer = settings.issuer();
    String configuredAudience = settings.audience();
    if (configuredIssuer == null || configuredIssuer.isBlank()) {
      throw new ConfigurationException("conductor.auth.oidc.issuer is empty");
    }
    if (configuredAudience == null || configuredAudience.isBlank()) {
      throw new ConfigurationException(
          "conductor.auth.oidc.audience is required with conductor.auth.oidc.issuer: the"
              + " conductor's client id at the issuer");
    }
    String jwks = settings.jwksUrl();
    if (jwks != null && !jwks.isBlank()) {
      try {
        URI.create(jwks).toURL();
      } catch (MalformedURLException | IllegalArgumentException e) {
        throw new ConfigurationException("conductor.auth.oidc.jwks-url is not a URL: " + jwks);
      }
    }
    this.issuer = configuredIssuer;
    this.audience = configuredAudience;
    LOG.info("oidc issuer={} audience={}", issuer, audience);
  }

  /** Whether a bearer token has a JWT's shape (three dot-separated parts), so is one to check. */
  public static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    return first > 0 && token.indexOf('.', first + 1) > first + 1;
  }

  /** The operator a valid token names, or null for any token this issuer did not sign for us. */
  public @Nullable Operator authenticate(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor().process(token, null);
    } catch (KeySourceException e) {
      throw new UpstreamUnavailableException(
          "the OpenID Connect issuer's keys could not be read: " + e.getMessage());
    } catch (ParseException | BadJOSEException | JOSEException e) {
      LOG.debug("oidc token refused reason={}", e.getClass().getSimpleName());
      return null;
    }
    Object name = claims.getClaim(settings.nameClaim());
    OperatorRole role = role(claims.getClaim(settings.roleClaim()));
    if (!(name instanceof String subject) || subject.isBlank() || role == null) {
      LOG.info(
          "oidc token refused reason=missing-claim name-claim={} role-claim={}",
          settings.nameClaim(),
          settings.roleClaim());
      return null;
    }
    return new Operator(PREFIX + subject, role);
  }

  /** A role claim's role: a string, or a list whose most privileged role counts. */
  static @Nullable OperatorRole role(@Nullable Object claim) {
    List<?> values =
        claim instanceof List<?> list ? list : claim == null ? List.of() : List.of(claim);
    OperatorRole best = null;
    for (Object value : values) {
      OperatorRole role = value instanceof String text ? OperatorRole.named(text) : null;
      if (role != null && (best == null || role.ordinal() < best.ordinal())) {
        best = role;
      }
    }
    return best;
  }

  private ConfigurableJWTProcessor<SecurityContext> processor() {
    ConfigurableJWTProcessor<SecurityContext> current = processor;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (processor == null) {
        processor = build();
      }
      return processor;
    }
  }

  private ConfigurableJWTProcessor<SecurityContext> build() {
    String configured = settings.jwksUrl();
    URI jwks =
        configured != null && !configured.isBlank() ? URI.create(configured) : discoverJwks();
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(jwks.toURL()).retrying(true).build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException("conductor.auth.oidc.jwks-url is not a URL: " + jwks, e);
    }
    DefaultJWTProcessor<SecurityContext> built = new DefaultJWTProcessor<>();
    built.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    built.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience, new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp")));
    return built;
  }

  /** The issuer's {@code jwks_uri}, from its OpenID Connect discovery document. */
  private URI discoverJwks() {
    URI discovery = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> answer =
          HttpClient.newBuilder()
              .connectTimeout(FETCH_TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(discovery).timeout(FETCH_TIMEOUT).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode document = new ObjectMapper().readTree(answer.body());
      if (answer.statusCode() != 200 || !document.path("jwks_uri").isTextual()) {
        throw new UpstreamUnavailableException(
            "the OpenID Connect discovery document "
                + discovery
                + " answered "
                + answer.statusCode()
                + " without a jwks_uri");
      }
      return URI.create(document.get("jwks_uri").asText());
    } catch (IOException e) {
      throw new UpstreamUnavailableException(
          "the OpenID Connect discovery document " + discovery + " could not be read: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamUnavailableException("interrupted reading " + discovery);
    }
  }
}
