package dev.conductor.audit;

import dev.conductor.api.PageCursor;
import dev.conductor.api.TimeBound;
import dev.conductor.api.v1.AuditEventView;
import dev.conductor.api.v1.AuditPage;
import dev.conductor.openapi.Answers;
import dev.conductor.openapi.OperatorApi;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;

/** {@code GET /v1/admin/audit}: who did what to which tenant, newest first, a page at a time. */
@Controller("/v1/admin/audit")
@Tag(name = "admin")
@OperatorApi
public class AuditController {
  private final AuditLog log;
  private final Clock clock;

  AuditController(AuditLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** Filters combine; {@code since} is an instant or an age ({@code 2h}, {@code 7d}). */
  @Get
  @Answers.Unprocessable
  @Operation(operationId = "listAuditEvents")
  public AuditPage list(
      @Nullable @QueryValue String tenant,
      @Nullable @QueryValue String actor,
      @Nullable @QueryValue String since,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor) {
    int size = PageCursor.limit(limit);
    PageCursor after = PageCursor.decode(cursor);
    List<AuditLog.Event> page =
        log.page(
            new AuditLog.Filter(
                blankToNull(tenant), blankToNull(actor), TimeBound.parse("since", since, clock)),
            after,
            size + 1);
    List<AuditLog.Event> shown = page.stream().limit(size).toList();
    String next = null;
    if (page.size() > size) {
      AuditLog.Event last = shown.get(size - 1);
      next = new PageCursor(last.at(), last.id()).encode();
    }
    return new AuditPage(shown.stream().map(AuditController::view).toList(), next);
  }

  private static AuditEventView view(AuditLog.Event event) {
    return new AuditEventView(
        event.id().toString(),
        event.at(),
        event.actor(),
        event.role(),
        event.action(),
        event.method(),
        event.path(),
        event.tenant(),
        event.status(),
        event.requestId());
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
