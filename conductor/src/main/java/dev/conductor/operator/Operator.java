package dev.conductor.operator;

/** Who sent an operator request: a named token's name (or {@code admin}, the bootstrap token). */
public record Operator(String name, OperatorRole role) {
  /** The request attribute holding the authenticated {@link Operator}. */
  public static final String ATTRIBUTE = "conductor.operator";

  /** The bootstrap token of the conductor home or CONDUCTOR_ADMIN_TOKEN. */
  public static final Operator BUILT_IN_ADMIN = new Operator("admin", OperatorRole.ADMIN);
}
