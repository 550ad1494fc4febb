package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandException;
import com.pulumi.automation.CommandResult;
import com.pulumi.automation.ConcurrentUpdateException;
import dev.conductor.provisioning.ProvisioningException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StackErrorsTest {

  @Test
  void concurrentUpdateIsALockedStack() {
    var e =
        StackErrors.map(
            "tenant-acme",
            "up",
            new ConcurrentUpdateException(
                new CommandResult(
                    255, "", "error: [409] Conflict: Another update is currently in progress.")));

    assertThat(e).isInstanceOf(StackLockedException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("stack tenant-acme is locked by another update");
  }

  @Test
  void fileBackendLockMessageIsALockedStackToo() {
    var e =
        StackErrors.map(
            "tenant-acme",
            "up",
            command(
                "error: the stack is currently locked by 1 lock(s). Either wait for the other"
                    + " process(es) to end or delete the lock file with `pulumi cancel`."));

    assertThat(e).isInstanceOf(StackLockedException.class);
  }

  @Test
  void commandFailureKeepsTheFirstErrorLineOnly() {
    var e =
        StackErrors.map(
            "tenant-acme",
            "up",
            command(
                "Updating (tenant-acme):\n"
                    + "    pulumi:pulumi:Stack conductor-tenant-acme running\n"
                    + "error: azure-native:dbforpostgresql:Database tenant-acme: AuthorizationFailed:"
                    + " the client does not have authorization\n"
                    + "    more detail that operators do not need\n"));

    assertThat(e.getMessage())
        .isEqualTo(
            "pulumi up of stack tenant-acme failed: error: azure-native:dbforpostgresql:Database"
                + " tenant-acme: AuthorizationFailed: the client does not have authorization");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void throttlingAndTimeoutsAreRetryable() {
    assertThat(StackErrors.map("s", "up", command("error: 429 TooManyRequests")).isRetryable())
        .isTrue();
    assertThat(StackErrors.map("s", "up", command("error: dial tcp: i/o timeout")).isRetryable())
        .isTrue();
    assertThat(
            StackErrors.map("s", "refresh", command("error: read: connection reset by peer"))
                .isRetryable())
        .isTrue();
    assertThat(
            StackErrors.map("s", "up", command("error: InvalidParameter: sku B9 unknown"))
                .isRetryable())
        .isFalse();
  }

  @Test
  void numbersAndWordsOutsideTheErrorLineDoNotMakeAnErrorRetryable() {
    var e =
        StackErrors.map(
            "s",
            "up",
            command(
                "  azure-native:app:ContainerApp acme-app (replicaTimeout: 300)\n"
                    + "error: AuthorizationFailed on /subscriptions/4290-503b/resourceGroups/x\n"));

    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void credentialsInEngineOutputAreMasked() {
    ProvisioningException e =
        StackErrors.map(
            "s",
            "up",
            command(
                "error: connect failed: Endpoint=sb://ns/;SharedAccessKeyName=root;"
                    + "SharedAccessKey=c2VjcmV0a2V5; password=hunter2"));

    assertThat(e.getMessage()).doesNotContain("c2VjcmV0a2V5").doesNotContain("hunter2");
    assertThat(e.getMessage()).contains("SharedAccessKey=****").contains("password=****");
  }

  @Test
  void failureToRunTheCliNamesTheRootCause() {
    var e =
        StackErrors.map(
            "tenant-acme",
            "up",
            new AutomationException(new IOException("Cannot run program \"pulumi\": error=2")));

    assertThat(e.getMessage())
        .isEqualTo(
            "could not run pulumi up of stack tenant-acme: Cannot run program \"pulumi\": error=2");
    assertThat(e.isRetryable()).isFalse();
  }

  private static CommandException command(String stderr) {
    return new CommandException(new CommandResult(255, "", stderr));
  }
}
