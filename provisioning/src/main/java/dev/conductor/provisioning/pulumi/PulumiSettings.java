package dev.conductor.provisioning.pulumi;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the driver runs stacks: one workspace directory per stack under {@code workspaces}, at most
 * {@code maxConcurrent} stack operations at a time, a locked stack tried {@code lockAttempts} times
 * with backoff from {@code lockBackoff}.
 */
public record PulumiSettings(
    Path workspaces, int maxConcurrent, int lockAttempts, Duration lockBackoff) {}
