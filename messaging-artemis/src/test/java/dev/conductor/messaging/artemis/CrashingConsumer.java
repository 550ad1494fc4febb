package dev.conductor.messaging.artemis;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Source;
import java.util.concurrent.CountDownLatch;

/**
 * A child process for {@link CrashedConsumerTest}: receives from a queue, announces the message on
 * stdout and never settles it, until the test kills the process.
 */
public final class CrashingConsumer {
  static final String MARKER = "HANDLING ";

  private CrashingConsumer() {}

  public static void main(String[] args) throws InterruptedException {
    String url = args[0];
    String queue = args[1];
    MessageBus bus =
        ArtemisMessageBus.connect(url, System.getenv("BUS_USER"), System.getenv("BUS_PASSWORD"));
    CountDownLatch never = new CountDownLatch(1);
    bus.receive(
        Source.queue(queue),
        ReceiveOptions.ONE_AT_A_TIME,
        message -> {
          System.out.println(MARKER + message.messageId());
          System.out.flush();
          never.await();
        });
    never.await();
  }
}
