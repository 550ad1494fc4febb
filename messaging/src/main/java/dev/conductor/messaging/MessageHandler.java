package dev.conductor.messaging;

@FunctionalInterface
public interface MessageHandler {
  void handle(ReceivedMessage message) throws Exception;
}
