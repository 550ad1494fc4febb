package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /v1/jobs}. The constraints are what holds whatever the tenant's plan; the job type
 * and the payload's depth and size are checked against the plan by the server, and the location
 * against the locations the plan's runtime serves.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitJobRequest(
    @Nullable @NotBlank(message = "job type is required") String type,
    @Nullable JsonNode payload,
    @Nullable
        @Pattern(
            regexp = "[A-Za-z0-9._:@/+=-]{1,128}",
            message = "affinityKey must be 1 to 128 characters of letters, digits and ._:@/+=-")
        String affinityKey,
    @Nullable
        @Size(min = 1, max = 200, message = IDEMPOTENCY_KEY)
        @Pattern(regexp = "(?s).*\\S.*", message = IDEMPOTENCY_KEY)
        String idempotencyKey,
    @Nullable
        @Pattern(
            regexp = "[A-Za-z0-9._:@/+=-]{1,128}",
            message = "location must be 1 to 128 characters of letters, digits and ._:@/+=-")
        String location) {
  private static final String IDEMPOTENCY_KEY = "idempotencyKey must be 1 to 200 characters";
}
