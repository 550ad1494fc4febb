package dev.conductor.messaging;

/**
 * Guarantees an adapter may lack; the contract test skips what an adapter declares it lacks.
 *
 * <ul>
 *   <li>{@code cancelScheduled}: {@link MessageBus#cancelScheduled} removes the message (the
 *       Service Bus emulator ignores cancel).
 *   <li>{@code scopedCredentials}: {@link MessageBus#grantWorkerAccess} works.
 *   <li>{@code administration}: entities are created and deleted at run time (the emulator takes
 *       its entities from its configuration file instead).
 *   <li>{@code largeMessages}: bodies above 256 KB (Service Bus Standard and the emulator stop
 *       there; Premium takes up to 100 MB).
 *   <li>{@code deadLettersHiddenFromWorkers}: a worker may not read the dead letters of the
 *       subscriptions it receives from (on Service Bus, Listen on a topic covers its subscriptions'
 *       dead-letter queues).
 * </ul>
 */
public record BusCapabilities(
    boolean cancelScheduled,
    boolean scopedCredentials,
    boolean administration,
    boolean largeMessages,
    boolean deadLettersHiddenFromWorkers) {

  /** Every guarantee of the port. */
  public static final BusCapabilities ALL = new BusCapabilities(true, true, true, true, true);
}
