package dev.conductor.messaging;

public record BusHealth(boolean up, String detail) {}
