package dev.conductor.health;

import dev.conductor.api.BearerToken;
import dev.conductor.secret.AdminToken;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import java.security.Principal;
import java.util.Optional;

/**
 * The caller is the operator when it presents the admin token. {@code GET /health} shows its
 * details only then (endpoints.health.details-visible: AUTHENTICATED); anyone else sees the status.
 */
@Singleton
public class OperatorPrincipalBinder implements TypedRequestArgumentBinder<Principal> {
  private static final Principal OPERATOR = () -> "operator";
  private final AdminToken adminToken;

  OperatorPrincipalBinder(AdminToken adminToken) {
    this.adminToken = adminToken;
  }

  @Override
  public Argument<Principal> argumentType() {
    return Argument.of(Principal.class);
  }

  @Override
  public BindingResult<Principal> bind(
      ArgumentConversionContext<Principal> context, HttpRequest<?> request) {
    String presented = BearerToken.from(request);
    Optional<Principal> operator =
        presented != null && adminToken.matches(presented)
            ? Optional.of(OPERATOR)
            : Optional.empty();
    return () -> operator;
  }
}
