package dev.conductor.api.v1;

import jakarta.annotation.Nullable;

/**
 * A named operator token to issue: its name and role ({@code admin}, {@code operator}, {@code
 * read-only}).
 */
public record CreateOperatorRequest(@Nullable String name, @Nullable String role) {}
