package dev.conductor.openapi;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operator controller in the OpenAPI document: the operator token, and the answers every {@code
 * /v1} request may get before reaching it (AdminAuthFilter, its 403 when the token's role may not,
 * StrictInputFilter, DatabaseGateFilter).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@SecurityRequirement(name = ConductorApi.OPERATOR)
@ApiResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
@ApiResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
@ApiResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
@ApiResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
public @interface OperatorApi {}
