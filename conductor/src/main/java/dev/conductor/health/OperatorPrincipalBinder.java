package dev.conductor.health;

import dev.conductor.api.BearerToken;
import dev.conductor.api.FailedAuthThrottle;
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
 * A wrong token counts towards the {@link FailedAuthThrottle} of the caller's address.
 */
@Singleton
public class OperatorPrincipalBinder implements TypedRequestArgumentBinder<Principal> {
  private static final Principal OPERATOR = () -> "operator";
  private final AdminToken adminToken;
  private final FailedAuthThrottle throttle;

  OperatorPrincipalBinder(AdminToken adminToken, FailedAuthThrottle throttle) {
    this.adminToken = adminToken;
    this.throttle = throttle;
  }

  @Override
  public Argument<Principal> argumentType() {
    return Argument.of(Principal.class);
  }

  @Override
  public BindingResult<Principal> bind(
      ArgumentConversionContext<Principal> context, HttpRequest<?> request) {
    String presented = BearerToken.from(request);
    // A token tried here counts like one tried on /v1: /health must not be a free guessing oracle.
    if (presented == null || throttle.refusal(request) != null) {
      return Optional::empty;
    }
    if (!adminToken.matches(presented)) {
      throttle.recordFailure(request);
      return Optional::empty;
    }
    return () -> Optional.of(OPERATOR);
  }
}
