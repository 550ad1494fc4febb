package dev.conductor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Provisioner} adapter must do, whatever engine it drives. A subclass starts its
 * engines once per class, builds the provisioner and answers whether a resource exists.
 */
public abstract class ProvisionerContract {
  protected static final String WORKER_SECRET = "env-value-that-must-stay-secret";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** Resource kinds, as in {@link ProvisionedResources}. */
  protected enum Kind {
    DATABASE,
    QUEUE,
    APP,
    CONTAINER
  }

  protected Provisioner provisioner;
  private final List<TenantSpec> created = new ArrayList<>();

  /** A provisioner wired to the engines of the subclass. */
  protected abstract Provisioner createProvisioner();

  /**
   * Whether the adapter's engine holds this tenant's resource of this kind right now: true when all
   * its parts exist, false when none does. Use {@link #allOrNone} for resources made of parts.
   */
  protected abstract boolean exists(TenantSpec tenant, Kind kind);

  /**
   * Removes one resource of a provisioned tenant behind the adapter's back, as an operator or
   * another tool would, and returns its name as the adapter's diff lines spell it.
   */
  protected abstract String removeOneResourceOutOfBand(TenantSpec tenant);

  /** Kinds the adapter materialises in an engine; the rest are outputs only and not checked. */
  protected Set<Kind> materialisedKinds() {
    return EnumSet.allOf(Kind.class);
  }

  /** The worker image of test tenants; adapters that pull it need one that exists. */
  protected String workerImage() {
    return "ghcr.io/conductor/worker:1";
  }

  @BeforeEach
  void createProvisionerUnderTest() {
    provisioner = createProvisioner();
  }

  /** Leaves the engines as they were, so that a cloud adapter does not leak paid resources. */
  @AfterEach
  void deprovisionCreatedTenants() {
    for (TenantSpec tenant : created) {
      provisioner.deprovision(tenant, ProgressListener.NONE);
    }
    created.clear();
  }

  /** A tenant with a unique name, deprovisioned after the test. */
  protected TenantSpec newTenant() {
    StringBuilder name = new StringBuilder("ct-");
    for (int i = 0; i < 10; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    TenantSpec tenant =
        new TenantSpec(
            new TenantName(name.toString()),
            "standard",
            new AppRegistration("cred-" + name, "http://localhost:8080/v1/jobs"),
            new WorkerTemplate(
                workerImage(),
                List.of("java", "-jar", "worker.jar"),
                Map.of("WORKER_TOKEN", WORKER_SECRET, "LOG_LEVEL", "info"),
                4));
    created.add(tenant);
    return tenant;
  }

  @Test
  void namesItsKind() {
    assertThat(provisioner.kind()).isNotBlank().matches("[a-z]+");
  }

  @Test
  void provisionReturnsEveryResourceWithItsDocumentedIdentifiers() {
    TenantSpec tenant = newTenant();
    ResourceNames names = tenant.names();

    ProvisionedResources resources = provisioner.provision(tenant, ProgressListener.NONE);

    assertThat(resources.database().identifiers())
        .containsOnlyKeys("host", "port", "database", "role")
        .containsEntry("database", names.database())
        .containsEntry("role", names.role());
    assertThat(resources.database().identifiers().get("host")).isNotBlank();
    assertThat(resources.database().identifiers().get("port")).matches("[0-9]+");
    assertThat(resources.database().secrets()).containsOnlyKeys("password");
    assertThat(resources.database().secrets().get("password")).hasSizeGreaterThanOrEqualTo(24);
    assertThat(resources.queue().identifiers())
        .containsOnly(
            Map.entry("jobTopic", names.jobTopic()),
            Map.entry("controlQueue", names.controlQueue()),
            Map.entry("workerUser", names.workerPrincipal()));
    assertThat(resources.queue().secrets()).containsOnlyKeys("workerPassword");
    assertThat(resources.queue().secrets().get("workerPassword")).hasSizeGreaterThanOrEqualTo(24);
    assertThat(resources.app().identifiers())
        .containsOnly(
            Map.entry("credentialId", tenant.app().credentialId()),
            Map.entry("jobsEndpoint", tenant.app().jobsEndpoint()));
    assertThat(resources.container().identifiers())
        .containsOnly(
            Map.entry("image", workerImage()),
            Map.entry("command", "java -jar worker.jar"),
            Map.entry("capacity", "4"),
            Map.entry("environment", "LOG_LEVEL,WORKER_TOKEN"));
  }

  @Test
  void identifiersNeverCarryASecret() {
    TenantSpec tenant = newTenant();

    ProvisionedResources resources = provisioner.provision(tenant, ProgressListener.NONE);

    List<String> secrets =
        resources(resources).flatMap(r -> r.secrets().values().stream()).toList();
    List<String> identifiers =
        resources(resources).flatMap(r -> r.identifiers().values().stream()).toList();
    assertThat(secrets).isNotEmpty();
    for (String identifier : identifiers) {
      assertThat(identifier).doesNotContain(WORKER_SECRET);
      for (String secret : secrets) {
        assertThat(identifier).doesNotContain(secret);
      }
    }
    for (String secret : secrets) {
      assertThat(resources.toString()).doesNotContain(secret);
    }
  }

  @Test
  void materialisesWhatItReports() {
    TenantSpec tenant = newTenant();

    provisioner.provision(tenant, ProgressListener.NONE);

    assertMaterialised(tenant, true);
  }

  @Test
  void provisioningTwiceConvergesOnTheSameResources() {
    TenantSpec tenant = newTenant();

    ProvisionedResources first = provisioner.provision(tenant, ProgressListener.NONE);
    ProvisionedResources second = provisioner.provision(tenant, ProgressListener.NONE);

    assertThat(second.database().identifiers()).isEqualTo(first.database().identifiers());
    assertThat(second.queue().identifiers()).isEqualTo(first.queue().identifiers());
    assertThat(second.queue().secrets()).containsOnlyKeys("workerPassword");
    assertThat(second.app()).isEqualTo(first.app());
    assertThat(second.container()).isEqualTo(first.container());
    assertThat(second.database().secrets()).containsOnlyKeys("password");
    assertMaterialised(tenant, true);
  }

  @Test
  void deprovisionRemovesWhatProvisionCreated() {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);

    provisioner.deprovision(tenant, ProgressListener.NONE);

    assertMaterialised(tenant, false);
  }

  @Test
  void deprovisionOfANeverProvisionedTenantIsFine() {
    TenantSpec tenant = newTenant();

    assertThatCode(() -> provisioner.deprovision(tenant, ProgressListener.NONE))
        .doesNotThrowAnyException();
    assertMaterialised(tenant, false);
  }

  @Test
  void deprovisioningTwiceIsFine() {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);
    provisioner.deprovision(tenant, ProgressListener.NONE);

    assertThatCode(() -> provisioner.deprovision(tenant, ProgressListener.NONE))
        .doesNotThrowAnyException();
  }

  @Test
  void provisionAfterDeprovisionStartsAfresh() {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);
    provisioner.deprovision(tenant, ProgressListener.NONE);

    provisioner.provision(tenant, ProgressListener.NONE);

    assertMaterialised(tenant, true);
  }

  @Test
  void reportsProgressNamingEachResource() {
    TenantSpec tenant = newTenant();
    ResourceNames names = tenant.names();
    RecordingProgress provisioning = new RecordingProgress();
    RecordingProgress deprovisioning = new RecordingProgress();

    ProvisionedResources resources = provisioner.provision(tenant, provisioning);
    provisioner.deprovision(tenant, deprovisioning);

    for (RecordingProgress progress : List.of(provisioning, deprovisioning)) {
      assertThat(progress.events())
          .isNotEmpty()
          .allSatisfy(event -> assertThat(event).isNotBlank());
      assertThat(progress.mentions(names.database())).isTrue();
      assertThat(progress.mentions(names.jobTopic())).isTrue();
      assertThat(progress.mentions(names.controlQueue())).isTrue();
      assertThat(progress.mentions(names.workerPrincipal())).isTrue();
    }
    for (String secret :
        List.of(
            resources.database().secrets().get("password"),
            resources.queue().secrets().get("workerPassword"))) {
      assertThat(provisioning.events()).noneMatch(event -> event.contains(secret));
    }
    assertThat(provisioning.events()).noneMatch(event -> event.contains(WORKER_SECRET));
  }

  @Test
  void refreshRightAfterProvisionFindsNoDrift() {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);
    RecordingProgress progress = new RecordingProgress();

    ResourceDiff drift = provisioner.refresh(tenant, progress);

    assertThat(drift.changes()).isEmpty();
    assertThat(progress.events()).noneMatch(event -> event.startsWith("WARN "));
  }

  @Test
  void refreshReportsAResourceRemovedOutOfBandAndRepairsNothing() {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);
    String removed = removeOneResourceOutOfBand(tenant);
    RecordingProgress progress = new RecordingProgress();

    ResourceDiff drift = provisioner.refresh(tenant, progress);

    assertThat(drift.changes()).anyMatch(line -> line.contains(removed));
    for (String line : drift.changes()) {
      assertThat(progress.events()).contains("WARN " + line);
    }
    assertThat(provisioner.refresh(tenant, ProgressListener.NONE)).isEqualTo(drift);
    provisioner.provision(tenant, ProgressListener.NONE);
    assertThat(provisioner.refresh(tenant, ProgressListener.NONE).changes()).isEmpty();
  }

  @Test
  void previewRightAfterProvisionChangesNothing() {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);

    assertThat(provisioner.preview(tenant, ProgressListener.NONE).changes()).isEmpty();
  }

  @Test
  void previewOfANewTenantListsWhatProvisionWouldCreateAndCreatesNothing() {
    TenantSpec tenant = newTenant();

    ResourceDiff changes = provisioner.preview(tenant, ProgressListener.NONE);

    assertThat(changes.changes()).isNotEmpty();
    assertMaterialised(tenant, false);
  }

  @Test
  void previewListsTheRepairOfAResourceRemovedOutOfBand() {
    TenantSpec tenant = newTenant();
    provisioner.provision(tenant, ProgressListener.NONE);
    String removed = removeOneResourceOutOfBand(tenant);

    ResourceDiff changes = provisioner.preview(tenant, ProgressListener.NONE);

    assertThat(changes.changes()).anyMatch(line -> line.contains(removed));
    assertThat(provisioner.preview(tenant, ProgressListener.NONE)).isEqualTo(changes);
  }

  @Test
  void aCallOnAnInterruptedThreadIsCancelledAndAdapterCanProvisionAfterwards() {
    TenantSpec tenant = newTenant();

    Thread.currentThread().interrupt();
    assertCancelled(() -> provisioner.provision(tenant, ProgressListener.NONE));

    provisioner.provision(tenant, ProgressListener.NONE);
    assertMaterialised(tenant, true);
  }

  @Test
  void anInterruptAfterTheFirstStepCancelsAndAReRunConverges() {
    TenantSpec tenant = newTenant();
    Thread caller = Thread.currentThread();
    ProgressListener cancelAfterFirstStep =
        new ProgressListener() {
          @Override
          public void info(String message) {
            caller.interrupt();
          }

          @Override
          public void warn(String message) {}
        };

    assertCancelled(() -> provisioner.provision(tenant, cancelAfterFirstStep));

    provisioner.provision(tenant, ProgressListener.NONE);
    assertMaterialised(tenant, true);
    assertThat(provisioner.refresh(tenant, ProgressListener.NONE).changes()).isEmpty();
  }

  /** Every materialised kind of the tenant exists ({@code present}), or none does. */
  private void assertMaterialised(TenantSpec tenant, boolean present) {
    for (Kind kind : materialisedKinds()) {
      assertThat(exists(tenant, kind)).as("%s exists", kind).isEqualTo(present);
    }
  }

  /** The call fails as cancelled; the thread's interrupt flag is cleared whatever happens. */
  private static void assertCancelled(Runnable call) {
    try {
      assertThatThrownBy(call::run).isInstanceOf(ProvisioningCancelledException.class);
    } finally {
      Thread.interrupted();
    }
  }

  /** Fails on a half-present resource, which neither provision nor deprovision may leave. */
  protected static boolean allOrNone(Kind kind, boolean... parts) {
    boolean first = parts[0];
    for (boolean part : parts) {
      assertThat(part).as("every part of %s agrees on existing", kind).isEqualTo(first);
    }
    return first;
  }

  private static Stream<Resource> resources(ProvisionedResources resources) {
    return Stream.of(
        resources.database(), resources.queue(), resources.app(), resources.container());
  }
}
