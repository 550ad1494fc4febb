package dev.conductor.api.v1;

/** The answer to a submission: the job's id, QUEUED. */
public record SubmittedJob(String id, String status) {}
