package dev.conductor.messaging;

import java.util.List;

/** Handles the messages a batch receiver took at once, in their entity's order. */
@FunctionalInterface
public interface BatchHandler {
  void handle(List<ReceivedMessage> batch) throws Exception;
}
