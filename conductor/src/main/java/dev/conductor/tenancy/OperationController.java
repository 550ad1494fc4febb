package dev.conductor.tenancy;

import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.NotFoundException;
import dev.conductor.api.PageCursor;
import dev.conductor.api.TimeBound;
import dev.conductor.api.v1.EndView;
import dev.conductor.api.v1.EventView;
import dev.conductor.api.v1.OperationPage;
import dev.conductor.api.v1.OperationSummary;
import dev.conductor.api.v1.OperationView;
import dev.conductor.notification.DatabaseNotifications;
import dev.conductor.notification.DatabaseNotifications.Channel;
import dev.conductor.openapi.Answers;
import dev.conductor.openapi.OperatorApi;
import dev.conductor.operation.Operation;
import dev.conductor.operation.OperationCancellation;
import dev.conductor.operation.OperationEvent;
import dev.conductor.operation.OperationEventRepository;
import dev.conductor.operation.OperationKind;
import dev.conductor.operation.OperationRepository;
import dev.conductor.operation.OperationStatus;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Operations and their event log, as JSON or as a live server-sent event stream. */
@Controller("/v1/operations")
@Tag(name = "operations")
@OperatorApi
public class OperationController {
  private final OperationRepository operations;
  private final OperationEventRepository events;
  private final TenantRepository tenants;

  private final OperationCancellation cancellation;
  private final DatabaseNotifications notifications;
  private final Clock clock;

  OperationController(
      OperationRepository operations,
      OperationEventRepository events,
      TenantRepository tenants,
      OperationCancellation cancellation,
      DatabaseNotifications notifications,
      Clock clock) {
    this.operations = operations;
    this.events = events;
    this.tenants = tenants;
    this.cancellation = cancellation;
    this.notifications = notifications;
    this.clock = clock;
  }

  /**
   * Every tenant's operations, newest first, a page at a time: what an operator looks at before
   * knowing an operation's id. Filters combine; an unknown tenant name lists nothing.
   */
  @Get
  @Answers.Unprocessable
  @io.swagger.v3.oas.annotations.Operation(operationId = "listOperations")
  public OperationPage list(
      @Nullable @QueryValue String tenant,
      @Nullable @QueryValue String kind,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String since,
      @Nullable @QueryValue String until,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor) {
    int size = PageCursor.limit(limit);
    PageCursor after = PageCursor.decode(cursor);
    List<Operation> page =
        operations.findPage(
            blankToNull(tenant),
            named("kind", kind, OperationKind.values()),
            named("status", status, OperationStatus.values()),
            TimeBound.parse("since", since, clock),
            TimeBound.parse("until", until, clock),
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            size + 1);
    List<Operation> shown = page.stream().limit(size).toList();
    Map<UUID, String> names = tenantNames(shown);
    List<OperationSummary> items =
        shown.stream().map(o -> summary(o, names.getOrDefault(o.tenantId(), ""))).toList();
    String next = null;
    if (page.size() > size) {
      Operation last = shown.get(size - 1);
      next = new PageCursor(last.createdAt(), last.id()).encode();
    }
    return new OperationPage(items, next);
  }

  private Map<UUID, String> tenantNames(List<Operation> shown) {
    var ids = new HashSet<UUID>();
    shown.forEach(o -> ids.add(o.tenantId()));
    return tenants.findByIdIn(ids).stream()
        .collect(Collectors.toMap(Tenant::id, Tenant::name, (a, b) -> a));
  }

  private static OperationSummary summary(Operation operation, String tenant) {
    return new OperationSummary(
        operation.id().toString(),
        tenant,
        operation.kind().name(),
        operation.status().name(),
        operation.attempts(),
        operation.createdAt(),
        operation.updatedAt(),
        operation.error(),
        operation.plan(),
        operation.cancelRequested());
  }

  /** The enum constant's name for a filter, case-insensitive; anything else is a 400. */
  private static <E extends Enum<E>> @Nullable String named(
      String parameter, @Nullable String value, E[] values) {
    String wanted = blankToNull(value);
    if (wanted == null) {
      return null;
    }
    return Arrays.stream(values)
        .map(Enum::name)
        .filter(name -> name.equalsIgnoreCase(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "unknown "
                        + parameter
                        + " '"
                        + wanted
                        + "'; one of "
                        + Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", "))));
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Get("/{id}")
  @Answers.NotFound
  @io.swagger.v3.oas.annotations.Operation(operationId = "getOperation")
  public OperationView show(String id) {
    return view(find(id));
  }

  /**
   * 200 with the CANCELLED operation if it was queued; 202 with the RUNNING one if it runs: it
   * stops at its provisioner's next safe point, within about a third of the lease.
   */
  @Post("/{id}/cancel")
  @ApiResponse(responseCode = "200", description = "It was queued: CANCELLED at once")
  @ApiResponse(
      responseCode = "202",
      description = "It runs: it stops at the provisioner's next safe point",
      content = @Content(schema = @Schema(implementation = OperationView.class)))
  @Answers.NotFound
  @Answers.Conflict
  @io.swagger.v3.oas.annotations.Operation(operationId = "cancelOperation")
  public HttpResponse<OperationView> cancel(String id) {
    // A garbage id is a 404 here; an unknown one is a 404 from cancel's row lock.
    Operation operation = cancellation.cancel(parseId(id));
    OperationView view = view(operation);
    return operation.status() == OperationStatus.CANCELLED
        ? HttpResponse.ok(view)
        : HttpResponse.accepted().body(view);
  }

  private OperationView view(Operation operation) {
    String tenant = tenants.findById(operation.tenantId()).map(t -> t.name()).orElse("");
    List<EventView> log = events.findAfter(operation.id(), 0).stream().map(this::view).toList();
    return OperationView.of(summary(operation, tenant), log);
  }

  /**
   * Replays the events so far, then follows new ones until the operation ends. Woken by the
   * database's notification of a new event or status change, from any replica (or by the listening
   * connection's loss, to read again); holds no thread and polls nothing in between.
   */
  @Get(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
  @Answers.NotFound
  public Publisher<Event<?>> stream(String id) {
    UUID operationId = find(id).id();
    AtomicLong lastSeen = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    AtomicReference<CompletableFuture<Void>> change =
        new AtomicReference<>(CompletableFuture.completedFuture(null));
    Mono<List<Event<?>>> read =
        Mono.fromCallable(
                () -> {
                  // Listen before reading, so a change between the two is not missed.
                  CompletableFuture<Void> next =
                      notifications.next(Channel.OPERATION_CHANGED, operationId.toString());
                  change.set(next);
                  if (closed.get()) {
                    next.cancel(false);
                  }
                  return nextBatch(operationId, lastSeen);
                })
            .subscribeOn(Schedulers.boundedElastic());
    return Mono.defer(() -> Mono.fromFuture(change.get(), true))
        .then(read)
        .repeat()
        .concatMapIterable(batch -> batch)
        .takeUntil(event -> "end".equals(event.getName()))
        .doFinally(
            signal -> {
              closed.set(true);
              Objects.requireNonNull(change.get(), "set from the start").cancel(false);
            });
  }

  private List<Event<?>> nextBatch(UUID operationId, AtomicLong lastSeen) {
    // Status first: if it has ended, every event it wrote is already committed.
    Operation operation = operations.findById(operationId).orElseThrow();
    List<Event<?>> batch = new ArrayList<>();
    for (OperationEvent event : events.findAfter(operationId, lastSeen.get())) {
      long eventId = Objects.requireNonNull(event.id(), "a stored event has its id");
      lastSeen.set(eventId);
      batch.add(Event.of(view(event)).name("progress").id(String.valueOf(eventId)));
    }
    if (operation.status().ended()) {
      batch.add(Event.of(new EndView(operation.status().name(), operation.error())).name("end"));
    }
    return batch;
  }

  private EventView view(OperationEvent event) {
    return new EventView(event.at(), event.level(), event.message());
  }

  private Operation find(String id) {
    return operations
        .findById(parseId(id))
        .orElseThrow(() -> new NotFoundException("operation '" + id + "' not found"));
  }

  /** An id that is not a UUID names no operation: 404, as an unknown one. */
  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("operation '" + id + "' not found");
    }
  }
}
