package dev.conductor.audit;

import dev.conductor.api.v1.CreatedTenant;
import dev.conductor.api.v1.OperationView;
import dev.conductor.api.v1.WorkerView;
import dev.conductor.operator.Operator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every state-changing request an operator identity sent under {@code /v1} in the {@link
 * AuditLog}, with its answer's status: refused ones (403, 404, 409, 422) too. Outside the
 * authentication filter, so it sees that filter's refusals; a request without an operator (no or a
 * wrong token, or the tenant job API) is not recorded.
 */
@ServerFilter("/v1/**")
public class AuditFilter implements Ordered {
  private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);

  /** A client's request id is kept when it is this plain; anything else is dropped. */
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private final AuditLog log;
  private final Clock clock;

  AuditFilter(AuditLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  @ResponseFilter
  @ExecuteOn(TaskExecutors.BLOCKING)
  public void record(HttpRequest<?> request, MutableHttpResponse<?> response) {
    String method = request.getMethodName();
    Operator operator = request.getAttribute(Operator.ATTRIBUTE, Operator.class).orElse(null);
    if (operator == null || !AuditAction.changesState(method)) {
      return;
    }
    String path = request.getPath();
    AuditAction action = AuditAction.of(method, path);
    String tenant =
        action.tenant() != null ? action.tenant() : tenantOf(response.getBody().orElse(null));
    String requestId = request.getHeaders().get("X-Request-Id");
    AuditLog.Event event =
        new AuditLog.Event(
            UUID.randomUUID(),
            clock.instant(),
            operator.name(),
            operator.role().wire(),
            action.name(),
            method,
            path,
            tenant,
            response.code(),
            requestId != null && REQUEST_ID.matcher(requestId).matches() ? requestId : null);
    try {
      log.append(event);
    } catch (RuntimeException e) {
      // The request's effect stands; losing its audit row must be loud, not turn it into an error.
      LOG.error(
          "audit event not recorded actor={} action={} tenant={} status={}",
          event.actor(),
          event.action(),
          event.tenant(),
          event.status(),
          e);
    }
  }

  /**
   * The tenant an answer names, when its path did not: a created tenant, an operation, a worker.
   */
  private static @Nullable String tenantOf(@Nullable Object body) {
    if (body instanceof CreatedTenant created) {
      return created.name();
    }
    if (body instanceof OperationView operation) {
      return operation.tenant();
    }
    if (body instanceof WorkerView worker) {
      return worker.tenant();
    }
    return null;
  }

  /** Before the database gate and the authentication filter: their refusals pass through here. */
  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE + 50;
  }
}
