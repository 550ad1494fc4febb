package dev.conductor.tenant;

import dev.conductor.api.v1.SecretsKeyRotation;
import dev.conductor.openapi.OperatorApi;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code POST /v1/admin/secrets-key/rotate}: see {@link SecretKeyRotation}. */
@Controller("/v1/admin/secrets-key/rotate")
@Tag(name = "admin")
@OperatorApi
public class SecretKeyRotationController {
  private final SecretKeyRotation rotation;

  SecretKeyRotationController(SecretKeyRotation rotation) {
    this.rotation = rotation;
  }

  @Post
  @io.swagger.v3.oas.annotations.Operation(
      operationId = "rotateSecretsKey",
      summary =
          "A new key for stored secrets (the home's key file), or every secret re-sealed under the"
              + " configured key")
  public SecretsKeyRotation rotate() {
    return rotation.rotate();
  }
}
