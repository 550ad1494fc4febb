package dev.conductor.messaging;

/** Where a receiver reads from: a queue, a topic subscription, or the dead letters of either. */
public sealed interface Source {
  /** How errors and logs name the source, e.g. {@code subscription 's' of topic 't'}. */
  String describe();

  record Queue(String name) implements Source {
    @Override
    public String describe() {
      return "queue '" + name + "'";
    }
  }

  record Subscription(String topic, String name) implements Source {
    @Override
    public String describe() {
      return "subscription '" + name + "' of topic '" + topic + "'";
    }
  }

  record DeadLetters(Source of) implements Source {
    @Override
    public String describe() {
      return "dead letters of " + of.describe();
    }

    /** The queue or subscription whose dead letters these are; dead letters have none. */
    public Source entity() {
      if (of instanceof DeadLetters) {
        throw new IllegalArgumentException("dead letters have no dead letters of their own");
      }
      return of;
    }
  }

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
