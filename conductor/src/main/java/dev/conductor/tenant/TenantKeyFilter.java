package dev.conductor.tenant;

import dev.conductor.api.BearerToken;
import dev.conductor.api.FailedAuthThrottle;
import dev.conductor.secret.ApiKeys;
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
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The tenant-facing job API authenticates with the tenant's API key: missing, wrong or revoked →
 * 401; a suspended or deleted tenant → 403. The tenant travels on as a request attribute. A key in
 * the {@link TenantKeyCache} is decided on the event loop without blocking; any other goes to the
 * database on the blocking executor.
 */
@ServerFilter("/v1/jobs/**")
public class TenantKeyFilter {
  public static final String TENANT = "conductor.tenant";
  private final TenantRepository tenants;
  private final TenantKeyCache cache;
  private final ErrorResponseProcessor<?> errors;
  private final FailedAuthThrottle throttle;
  private final Scheduler blocking;

  TenantKeyFilter(
      TenantRepository tenants,
      TenantKeyCache cache,
      ErrorResponseProcessor<?> errors,
      FailedAuthThrottle throttle,
      @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.tenants = tenants;
    this.cache = cache;
    this.errors = errors;
    this.throttle = throttle;
    this.blocking = Schedulers.fromExecutorService(blocking);
  }

  /**
   * A refusal, or what the rest of the chain answers. Reactive because an empty publisher would not
   * let the request through (Micronaut answers 503).
   */
  @RequestFilter
  public Publisher<HttpResponse<?>> authenticate(
      HttpRequest<?> request, FilterContinuation<Publisher<HttpResponse<?>>> chain) {
    MutableHttpResponse<?> throttled = throttle.refusal(request);
    if (throttled != null) {
      return Mono.just(throttled);
    }
    String key = BearerToken.from(request);
    if (key == null) {
      return Mono.just(
          refuse(
              request, HttpStatus.UNAUTHORIZED, "missing bearer token: send the tenant API key"));
    }
    String hash = ApiKeys.hash(key);
    Tenant cached = cache.get(hash);
    if (cached != null) {
      MutableHttpResponse<?> refusal = decide(request, cached);
      return refusal != null ? Mono.just(refusal) : chain.proceed();
    }
    return Mono.<HttpResponse<?>>fromCallable(() -> lookUp(request, hash))
        .subscribeOn(blocking)
        .switchIfEmpty(Mono.defer(() -> Mono.from(chain.proceed())));
  }

  @Nullable
  private MutableHttpResponse<?> lookUp(HttpRequest<?> request, String hash) {
    long generation = cache.generation();
    Tenant tenant = tenants.findByApiKeyHash(hash).orElse(null);
    if (tenant == null) {
      throttle.recordFailure(request);
      return refuse(request, HttpStatus.UNAUTHORIZED, "invalid or revoked API key");
    }
    cache.put(hash, tenant, generation);
    return decide(request, tenant);
  }

  @Nullable
  private MutableHttpResponse<?> decide(HttpRequest<?> request, Tenant tenant) {
    if (tenant.status() == TenantStatus.SUSPENDED
        || tenant.status() == TenantStatus.DELETING
        || tenant.status() == TenantStatus.DELETED) {
      return refuse(
          request,
          HttpStatus.FORBIDDEN,
          "tenant '" + tenant.name() + "' is " + tenant.status() + " and cannot use the job API");
    }
    request.setAttribute(TENANT, tenant);
    return null;
  }

  private MutableHttpResponse<?> refuse(HttpRequest<?> request, HttpStatus status, String detail) {
    MutableHttpResponse<?> response = HttpResponse.status(status);
    if (status == HttpStatus.UNAUTHORIZED) {
      response.header("WWW-Authenticate", "Bearer");
    }
    return errors.processResponse(
        ErrorContext.builder(request).errorMessage(detail).build(), response);
  }
}
