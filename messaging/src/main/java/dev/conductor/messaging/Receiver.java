package dev.conductor.messaging;

/** A running receive loop; closing it stops delivery and returns unsettled messages. */
public interface Receiver extends AutoCloseable {
  @Override
  void close();
}
