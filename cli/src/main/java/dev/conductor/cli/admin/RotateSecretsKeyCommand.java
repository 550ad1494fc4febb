package dev.conductor.cli.admin;

import dev.conductor.api.v1.SecretsKeyRotation;
import dev.conductor.cli.ConfirmOption;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Change the key that seals the tenants' stored secrets, while the conductor runs.",
      "Its key is the home's secret.key: it makes a new one and re-seals every secret with it."
          + " Its key is CONDUCTOR_SECRETS_KEY: give every replica the new key there and the old"
          + " one in CONDUCTOR_SECRETS_PREVIOUS_KEYS first; this re-seals every secret under the"
          + " new key, after which the old one can go.",
      "Exits 4 when some stored secret opens with no key the conductor knows (left as it is)."
    })
public final class RotateSecretsKeyCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin ConfirmOption confirmation;

  @Override
  public Integer call() {
    confirmation.confirm(
        connection,
        "Rotate the key that seals the tenants' stored secrets? Back up the new key once made.");
    SecretsKeyRotation done = connection.client().rotateSecretsKey();
    PrintWriter out = connection.out();
    if (connection.structured()) {
      out.print(connection.render(done));
    } else {
      out.printf(
          "%s: %d secrets re-sealed, %d already sealed with it%n",
          done.newKey()
              ? "New secrets key in the conductor home (secret.key): back it up"
              : "Secrets re-sealed under the configured key",
          done.resealed(),
          done.alreadyCurrent());
      if (!done.newKey() && done.unreadable() == 0) {
        out.println("CONDUCTOR_SECRETS_PREVIOUS_KEYS can now be removed from every replica.");
      }
    }
    out.flush();
    if (done.unreadable() > 0) {
      connection
          .err()
          .printf(
              "error: %d stored secrets open with no key the conductor knows: add the key that"
                  + " sealed them to CONDUCTOR_SECRETS_PREVIOUS_KEYS and run this again%n",
              done.unreadable());
      connection.err().flush();
      return ExitCodes.CONFLICT;
    }
    return ExitCodes.OK;
  }
}
