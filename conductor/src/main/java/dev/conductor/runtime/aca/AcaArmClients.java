package dev.conductor.runtime.aca;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * How the aca runtime reaches Azure Resource Manager: signed in as DefaultAzureCredential finds (a
 * service principal's AZURE_CLIENT_* variables, a managed identity, az login), over azure-core's
 * default HTTP client.
 */
@Factory
class AcaArmClients {

  @Singleton
  @Named("aca")
  TokenCredential credential() {
    return new DefaultAzureCredentialBuilder().build();
  }

  @Singleton
  @Named("aca")
  HttpClient httpClient() {
    return HttpClient.createDefault();
  }
}
