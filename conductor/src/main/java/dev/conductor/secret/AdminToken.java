package dev.conductor.secret;

import dev.conductor.ConductorSettings;
import dev.conductor.home.ConductorHome;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator token: CONDUCTOR_ADMIN_TOKEN when set, otherwise generated once into the conductor
 * home (mode 0600). Only the file's path is ever logged.
 */
// Created at start-up, so the token file exists before the first request needs it.
@Context
public class AdminToken {
  public static final String FILE = "admin-token";

  /** Shorter operator tokens are refused at start-up: they can be guessed. */
  public static final int MIN_LENGTH = 24;

  private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
  private final byte[] token;

  AdminToken(ConductorSettings settings, ConductorHome home) {
    String configured = settings.adminToken();
    String value;
    if (configured != null && !configured.isBlank()) {
      value = configured.trim();
      if (value.length() < MIN_LENGTH) {
        throw new ConfigurationException(
            "CONDUCTOR_ADMIN_TOKEN is too short: use at least "
                + MIN_LENGTH
                + " characters (e.g. openssl rand -base64 32), or unset it to have one generated");
      }
      LOG.info("admin token source=CONDUCTOR_ADMIN_TOKEN");
    } else {
      value = home.secret(FILE);
      if (value.length() < MIN_LENGTH) {
        throw new ConfigurationException(
            home.resolve(FILE)
                + " holds a token shorter than "
                + MIN_LENGTH
                + " characters: delete the file to have a new one generated");
      }
      LOG.info("admin token source=file path={}", home.resolve(FILE));
    }
    this.token = value.getBytes(StandardCharsets.UTF_8);
  }

  public boolean matches(String presented) {
    return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** For the in-process launcher only (the demo); never logged or served. */
  public String value() {
    return new String(token, StandardCharsets.UTF_8);
  }
}
