package dev.conductor.messaging;

/** Where a receiver reads from: a queue, a topic subscription, or the dead letters of either. */
public sealed interface Source {
  record Queue(String name) implements Source {}

  record Subscription(String topic, String name) implements Source {}

  record DeadLetters(Source of) implements Source {}

  static Source queue(String name) {
    return new Queue(name);
  }

  static Source subscription(String topic, String name) {
    return new Subscription(topic, name);
  }

  static Source deadLetters(Source of) {
    return new DeadLetters(of);
  }
}
