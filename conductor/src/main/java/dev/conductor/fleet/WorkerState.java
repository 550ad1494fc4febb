package dev.conductor.fleet;

/** STARTING → READY → DRAINING → STOPPED; any → LOST. */
public enum WorkerState {
  STARTING,
  READY,
  DRAINING,
  STOPPED,
  LOST;

  public boolean live() {
    return this == STARTING || this == READY || this == DRAINING;
  }
}
