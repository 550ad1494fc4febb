package dev.conductor.runtime.aca;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * In a conductor whose {@code aca} runtime talks to the {@link ArmStandIn}: the stand-in's fixed
 * token instead of Azure's sign-in, and an HTTP client that trusts the stand-in's self-signed
 * certificate. Only where {@value #KEY_STORE} names that certificate's key store.
 */
@Factory
@Requires(property = ArmStandInClients.KEY_STORE)
class ArmStandInClients {
  static final String KEY_STORE = "conductor.test.arm-stand-in.key-store";

  @Singleton
  @Named("aca")
  @Replaces(value = TokenCredential.class, factory = AcaArmClients.class)
  TokenCredential fixedToken() {
    return ArmStandIn::token;
  }

  @Singleton
  @Named("aca")
  @Replaces(value = HttpClient.class, factory = AcaArmClients.class)
  HttpClient trustingTheStandIn(@Value("${" + KEY_STORE + "}") String keyStore) {
    return ArmStandIn.trusting(Path.of(keyStore));
  }
}
