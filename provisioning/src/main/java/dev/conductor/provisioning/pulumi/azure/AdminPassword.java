package dev.conductor.provisioning.pulumi.azure;

/**
 * Azure's rule for flexible server admin passwords: 8 to 128 characters from at least three of
 * uppercase, lowercase, digits and other characters. Messages never quote the password.
 */
public final class AdminPassword {
  private static final int REQUIRED_CLASSES = 3;

  private AdminPassword() {}

  static void requireAcceptedByAzure(String password) {
    if (!isAcceptedByAzure(password)) {
      throw new IllegalArgumentException(
          "databasePassword of a dedicated server must mix at least three of uppercase, lowercase,"
              + " digits and symbols (Azure's admin password rule)");
    }
  }

  /** Whether Azure takes it as a server admin password: three of the four character classes. */
  public static boolean isAcceptedByAzure(String password) {
    int classes = 0;
    classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
    classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
    return classes >= REQUIRED_CLASSES;
  }
}
