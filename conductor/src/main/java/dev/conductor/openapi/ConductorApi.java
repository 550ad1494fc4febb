package dev.conductor.openapi;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The OpenAPI document's global part: what the API is, its tags and its two credentials. The
 * micronaut-openapi processor reads it at compile time with the controllers and writes {@code
 * META-INF/swagger/openapi.yml}, which {@link OpenApiController} serves.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Conductor",
            version = "v1",
            description =
                "The control plane's HTTP API: the operator's tenants, operations and workers, and the"
                    + " tenant apps' job API. Every error is application/problem+json (Problem)."
                    + " Prose reference: docs/api.md.",
            license = @License(name = "Apache-2.0")),
    tags = {
      @Tag(name = "tenants", description = "Onboarding, plans and lifecycle (operator token)"),
      @Tag(name = "operations", description = "Durable provisioning operations (operator token)"),
      @Tag(name = "jobs", description = "The tenant app's job API (tenant API key)"),
      @Tag(name = "tenant jobs", description = "Every tenant's jobs for the operator"),
      @Tag(name = "workers", description = "GUID workers (operator token)"),
      @Tag(name = "server", description = "Open endpoints: build info, health, this document")
    })
@SecurityScheme(
    name = ConductorApi.OPERATOR,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description =
        "The operator (admin) token: CONDUCTOR_ADMIN_TOKEN, or generated into the conductor home.")
@SecurityScheme(
    name = ConductorApi.TENANT,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "A tenant's API key (ck_...), shown once by tenant creation or key rotation.")
public final class ConductorApi {
  /** The security scheme of the operator endpoints. */
  public static final String OPERATOR = "operatorToken";

  /** The security scheme of the job API. */
  public static final String TENANT = "tenantApiKey";

  private ConductorApi() {}
}
