package dev.conductor.provisioning.pulumi.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.provisioning.TenantName;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AzureNamesTest {
  private static final String CONTAINER_APP = "[a-z][a-z0-9-]{0,30}[a-z0-9]";
  private static final String SERVER = "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]";
  private static final String SERVICE_BUS_ENTITY = "[A-Za-z0-9][A-Za-z0-9._/-]{0,258}[A-Za-z0-9]";

  @Test
  void shortSlugsGiveReadableNames() {
    AzureNames names = AzureNames.of(new TenantName("acme"), "contoso");

    assertThat(names)
        .isEqualTo(
            new AzureNames(
                "acme-app",
                "acme-worker",
                "contoso-acme-pg",
                "tenant_acme",
                "tenant_acme_owner",
                "tenant.acme.jobs",
                "tenant.acme.control"));
  }

  @Test
  void theLongestSlugsAreCutWithAHash() {
    AzureNames names = AzureNames.of(new TenantName("abcdefghijklmnopqrstuvwxyz0123"), "contoso");

    assertThat(names.containerApp()).hasSize(32).startsWith("abcdefghijklmnopqrs-");
    assertThat(names.workerJob()).hasSize(32).endsWith("-worker");
  }

  @Test
  void locatedWorkerJobsAreDistinctValidNamesEvenWhereDashesWouldJoinThem() {
    String aBInC = AzureWorkerJob.name(new TenantName("acme-eu"), "x");
    String aInBC = AzureWorkerJob.name(new TenantName("acme"), "eu-x");
    String longest =
        AzureWorkerJob.name(
            new TenantName("abcdefghijklmnopqrstuvwxyz0123"), "southeastasia-secondary");

    assertThat(aBInC).startsWith("acme-eu-x-").matches(CONTAINER_APP);
    assertThat(aBInC).isNotEqualTo(aInBC);
    assertThat(longest).hasSize(32).matches(CONTAINER_APP).doesNotContain("--");
    assertThat(AzureWorkerJob.name(new TenantName("acme"), "")).isEqualTo("acme-worker");
  }

  @Test
  void randomSlugsGiveValidDistinctNames() {
    Random random = new Random(7);
    Set<String> slugs = new HashSet<>();
    Set<String> apps = new HashSet<>();
    Set<String> jobs = new HashSet<>();
    Set<String> servers = new HashSet<>();
    while (slugs.size() < 5_000) {
      String slug = randomSlug(random);
      if (TenantName.problemWith(slug) != null || !slugs.add(slug)) {
        continue;
      }
      AzureNames names = AzureNames.of(new TenantName(slug), "contoso");
      assertThat(names.containerApp()).matches(CONTAINER_APP).doesNotContain("--");
      assertThat(names.workerJob()).matches(CONTAINER_APP).doesNotContain("--");
      assertThat(names.dedicatedServer()).matches(SERVER);
      assertThat(names.database()).hasSizeLessThanOrEqualTo(63);
      assertThat(names.administratorLogin()).hasSizeLessThanOrEqualTo(63).doesNotStartWith("pg_");
      for (String entity : List.of(names.jobTopic(), names.controlQueue())) {
        assertThat(entity).matches(SERVICE_BUS_ENTITY);
      }
      apps.add(names.containerApp());
      jobs.add(names.workerJob());
      String located = AzureWorkerJob.name(new TenantName(slug), "eu");
      assertThat(located).matches(CONTAINER_APP).doesNotContain("--");
      jobs.add(located);
      servers.add(names.dedicatedServer());
    }

    assertThat(apps).hasSameSizeAs(slugs);
    assertThat(jobs).hasSize(2 * slugs.size());
    assertThat(servers).hasSameSizeAs(slugs);
  }

  /** Long slugs with shared beginnings, the case where cut names could collide. */
  static String randomSlug(Random random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
    int length = 3 + random.nextInt(TenantName.MAX_LENGTH - 2);
    StringBuilder slug = new StringBuilder(random.nextBoolean() ? "customer-" : "c");
    while (slug.length() < length) {
      slug.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return slug.substring(0, Math.min(slug.length(), TenantName.MAX_LENGTH));
  }
}
