package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BoundedNameTest {

  @Test
  void keepsNamesShorterThanTheLimit() {
    assertThat(BoundedName.fit("acme", "-app", 32, "acme")).isEqualTo("acme-app");
  }

  @Test
  void cutsNamesThatReachTheLimitAndEndsThemWithAHash() {
    String name = BoundedName.fit("abcdefghijklmnopqrstuvwxyz0123", "-app", 32, "x");

    assertThat(name).hasSize(32).startsWith("abcdefghijklmnopqrs-").endsWith("-app");
    assertThat(name.substring(20, 28)).matches("[0-9a-f]{8}");
  }

  @Test
  void aCutNameNeverEndsItsHeadWithADash() {
    String name = BoundedName.fit("abcdefghijklmnopqr-stuvwxyz0123", "-app", 32, "x");

    assertThat(name).hasSize(32).startsWith("abcdefghijklmnopqr-").doesNotContain("--");
    assertThat(name.substring(19, 28)).matches("[0-9a-f]{9}");
  }

  /** A tenant cannot pick a slug that spells another tenant's cut name: cut names are longer. */
  @Test
  void anUncutNameNeverEqualsACutOne() {
    String cut = BoundedName.fit("abcdefghijklmnopqrstuvwxyz0123", "-app", 32, "victim");
    String impostorSlug = cut.substring(0, cut.length() - "-app".length());

    String impostor = BoundedName.fit(impostorSlug, "-app", 32, impostorSlug);

    assertThat(impostor).isNotEqualTo(cut);
  }

  @Test
  void manyLongSlugsSharingAPrefixGetDistinctNames() {
    Random random = new Random(42);
    Set<String> slugs = new HashSet<>();
    Set<String> names = new HashSet<>();
    while (slugs.size() < 20_000) {
      String slug = "tenant-with-a-long-shared-" + randomTail(random);
      if (slugs.add(slug)) {
        String name = BoundedName.fit(slug, "-worker", 32, slug);
        assertThat(name).hasSizeLessThanOrEqualTo(32);
        names.add(name);
      }
    }

    assertThat(names).hasSameSizeAs(slugs);
  }

  private static String randomTail(Random random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder tail = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      tail.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return tail.toString();
  }
}
