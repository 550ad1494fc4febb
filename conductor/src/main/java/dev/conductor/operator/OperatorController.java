package dev.conductor.operator;

import dev.conductor.api.v1.CreateOperatorRequest;
import dev.conductor.api.v1.CreatedOperator;
import dev.conductor.api.v1.OperatorView;
import dev.conductor.openapi.Answers;
import dev.conductor.openapi.OperatorApi;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;

/** {@code /v1/admin/operators}: named operator tokens, issued, listed and revoked by an admin. */
@Controller(value = "/v1/admin/operators", consumes = MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@OperatorApi
public class OperatorController {
  private final OperatorTokens tokens;

  OperatorController(OperatorTokens tokens) {
    this.tokens = tokens;
  }

  @Post
  @Status(HttpStatus.CREATED)
  @Answers.Conflict
  @Answers.JsonBody
  @Answers.Unprocessable
  @Operation(
      operationId = "createOperator",
      summary = "A named operator token with a role; the token is shown once")
  public CreatedOperator create(@Body CreateOperatorRequest request, HttpRequest<?> http) {
    Operator by = http.getAttribute(Operator.ATTRIBUTE, Operator.class).orElseThrow();
    OperatorTokens.Issued issued = tokens.create(request.name(), request.role(), by);
    return new CreatedOperator(
        issued.operator().name(),
        issued.operator().role().wire(),
        issued.token(),
        issued.operator().createdAt());
  }

  @Get
  @Operation(
      operationId = "listOperators",
      summary = "The built-in admin and every live named operator token, by name; never a token")
  public List<OperatorView> list() {
    List<OperatorView> views = new ArrayList<>();
    views.add(
        new OperatorView(
            Operator.BUILT_IN_ADMIN.name(),
            Operator.BUILT_IN_ADMIN.role().wire(),
            null,
            null,
            null));
    for (OperatorTokens.Stored stored : tokens.list()) {
      views.add(
          new OperatorView(
              stored.name(),
              stored.role().wire(),
              stored.createdAt(),
              stored.createdBy(),
              stored.lastUsedAt()));
    }
    return views;
  }

  @Delete("/{name}")
  @Status(HttpStatus.NO_CONTENT)
  @Answers.NotFound
  @Operation(
      operationId = "revokeOperator",
      summary =
          "Revokes a named operator token: refused from its next request on, on every replica")
  public void revoke(String name) {
    tokens.revoke(name);
  }
}
