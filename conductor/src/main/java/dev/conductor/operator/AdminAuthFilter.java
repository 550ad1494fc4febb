package dev.conductor.operator;

import dev.conductor.api.BearerToken;
import dev.conductor.api.FailedAuthThrottle;
import dev.conductor.secret.AdminToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every operator endpoint ({@code /v1/**} except the tenant-facing job API, and {@code /metrics})
 * needs {@code Authorization: Bearer <operator token>}: the bootstrap admin token, a named one
 * ({@link OperatorTokens}) or, when configured, an OpenID Connect token ({@link OidcTokens}), whose
 * role must permit the request (403 otherwise). The {@link Operator} travels on as a request
 * attribute. {@code /metrics/**} too: the router also answers {@code /metrics/}, which the pattern
 * {@code /metrics} alone does not match.
 */
@ServerFilter({"/v1/**", "/metrics", "/metrics/**"})
public class AdminAuthFilter {
  private final AdminToken adminToken;
  private final OperatorTokens tokens;
  private final @Nullable OidcTokens oidc;
  private final ErrorResponseProcessor<?> errors;
  private final FailedAuthThrottle throttle;
  private final Scheduler blocking;

  AdminAuthFilter(
      AdminToken adminToken,
      OperatorTokens tokens,
      Optional<OidcTokens> oidc,
      ErrorResponseProcessor<?> errors,
      FailedAuthThrottle throttle,
      @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.adminToken = adminToken;
    this.tokens = tokens;
    this.oidc = oidc.orElse(null);
    this.errors = errors;
    this.throttle = throttle;
    this.blocking = Schedulers.fromExecutorService(blocking);
  }

  /**
   * A refusal, or what the rest of the chain answers. The admin token is decided on the event loop;
   * a named token is looked up on the blocking executor.
   */
  @RequestFilter
  public Publisher<HttpResponse<?>> authenticate(
      HttpRequest<?> request, FilterContinuation<Publisher<HttpResponse<?>>> chain) {
    if (request.getPath().startsWith("/v1/jobs")) {
      return chain.proceed();
    }
    MutableHttpResponse<?> throttled = throttle.refusal(request);
    if (throttled != null) {
      return Mono.just(throttled);
    }
    String presented = BearerToken.from(request);
    if (presented == null) {
      return Mono.just(
          unauthorized(request, "missing bearer token: send Authorization: Bearer <admin token>"));
    }
    if (adminToken.matches(presented)) {
      return proceedAs(Operator.BUILT_IN_ADMIN, request, chain);
    }
    return Mono.fromCallable(() -> lookUp(presented))
        .subscribeOn(blocking)
        .flatMap(operator -> Mono.from(proceedAs(operator, request, chain)))
        .switchIfEmpty(
            Mono.fromSupplier(
                () -> {
                  throttle.recordFailure(request);
                  // The message predates named tokens; clients match it.
                  return unauthorized(request, "invalid admin token");
                }));
  }

  /** Null (an empty Mono) when no live named token, nor a valid OpenID Connect token, matches. */
  private @Nullable Operator lookUp(String presented) {
    if (oidc != null && OidcTokens.looksLikeJwt(presented)) {
      return oidc.authenticate(presented);
    }
    return tokens.authenticate(presented);
  }

  private Publisher<HttpResponse<?>> proceedAs(
      Operator operator,
      HttpRequest<?> request,
      FilterContinuation<Publisher<HttpResponse<?>>> chain) {
    request.setAttribute(Operator.ATTRIBUTE, operator);
    String method = request.getMethodName();
    if (!operator.role().permits(method, request.getPath())) {
      return Mono.just(
          errors.processResponse(
              ErrorContext.builder(request)
                  .errorMessage(
                      "operator '"
                          + operator.name()
                          + "' has role "
                          + operator.role().wire()
                          + ", which may not "
                          + method
                          + " "
                          + request.getPath())
                  .build(),
              HttpResponse.status(HttpStatus.FORBIDDEN)));
    }
    return chain.proceed();
  }

  private MutableHttpResponse<?> unauthorized(HttpRequest<?> request, String detail) {
    return errors.processResponse(
        ErrorContext.builder(request).errorMessage(detail).build(),
        HttpResponse.unauthorized().header("WWW-Authenticate", "Bearer"));
  }
}
