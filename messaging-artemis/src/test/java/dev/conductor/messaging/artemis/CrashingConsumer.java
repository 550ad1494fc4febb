package dev.conductor.messaging.artemis;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Source;
import java.util.concurrent.CountDownLatch;

/**
 * A child process for {@link CrashedConsumerTest}: receives from a queue, announces the message on
 * stdout and never settles it, until the test kills the process. With a third argument {@code
 * pipelined} it instead completes every message (four at a time, pipelined completion) and
 * announces each once {@code complete} returned.
 */
public final class CrashingConsumer {
  static final String MARKER = "HANDLING ";
  static final String COMPLETED = "COMPLETED ";

  private CrashingConsumer() {}

  public static void main(String[] args) throws InterruptedException {
    String url = args[0];
    String queue = args[1];
    MessageBus bus =
        ArtemisMessageBus.connect(url, System.getenv("BUS_USER"), System.getenv("BUS_PASSWORD"));
    CountDownLatch never = new CountDownLatch(1);
    if (args.length > 2 && args[2].equals("pipelined")) {
      bus.receive(
          Source.queue(queue),
          new ReceiveOptions(4, true),
          message -> {
            message.complete();
            System.out.println(COMPLETED + message.messageId());
            System.out.flush();
            Thread.sleep(5);
          });
      never.await();
    }
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
