package dev.conductor.provisioning.pulumi.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.provisioning.TenantName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerNamesTest {
  private static final String DOCKER_NAME = "[a-zA-Z0-9][a-zA-Z0-9_.-]+";

  @Test
  void namesSayWhoseTheyAre() {
    assertThat(DockerNames.of(new TenantName("acme")))
        .isEqualTo(
            new DockerNames(
                "conductor-acme-postgres", "conductor-acme-pgdata", "conductor-acme-app"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "acme-corp", "abcdefghijklmnopqrstuvwxyz0123"})
  void namesAreValidDockerNamesWithinAHostNamesLength(String slug) {
    DockerNames names = DockerNames.of(new TenantName(slug));

    for (String name :
        List.of(names.postgresContainer(), names.postgresVolume(), names.appContainer())) {
      assertThat(name).matches(DOCKER_NAME).hasSizeLessThanOrEqualTo(DockerNames.MAX);
    }
  }

  @Test
  void aTenantsNamesDifferFromEachOtherAndFromAnotherTenants() {
    Set<String> names = new HashSet<>();
    for (String slug : List.of("acme", "acme-app", "acme-postgres")) {
      DockerNames tenant = DockerNames.of(new TenantName(slug));
      names.addAll(
          List.of(tenant.postgresContainer(), tenant.postgresVolume(), tenant.appContainer()));
    }

    assertThat(names).hasSize(9);
  }
}
