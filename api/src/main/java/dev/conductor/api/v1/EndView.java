package dev.conductor.api.v1;

import jakarta.annotation.Nullable;

/** The data of the {@code end} server-sent event that closes an operation's stream. */
public record EndView(String status, @Nullable String error) {}
