package dev.conductor.routing;

/**
 * Where a job must run and a worker runs: its affinity key in one location ('' is none). Routing
 * only pairs a job with a worker of the same placement, and bounds workers per placement.
 */
public record Placement(String affinityKey, String location) {}
