package dev.conductor.api.v1;

import java.util.List;

/**
 * The answer to a batch: how many jobs were accepted and refused, and each job's result in order.
 */
public record SubmittedBatch(int accepted, int refused, List<BatchJobResult> results) {}
