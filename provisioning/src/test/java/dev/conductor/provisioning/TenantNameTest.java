package dev.conductor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"abc", "acme", "acme-corp", "a1b2", "a-b-c", "abcdefghijklmnopqrstuvwxyz0123"})
  void acceptsLowercaseSlugs(String candidate) {
    assertThat(TenantName.problemWith(candidate)).isNull();
    assertThat(new TenantName(candidate).value()).isEqualTo(candidate);
    assertThat(new TenantName(candidate)).hasToString(candidate);
  }

  @ParameterizedTest
  @NullAndEmptySource
  void requiresAName(String candidate) {
    assertThat(TenantName.problemWith(candidate)).isEqualTo("tenant name is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "a", "abcdefghijklmnopqrstuvwxyz01234"})
  void rejectsTooShortOrTooLong(String candidate) {
    assertThat(TenantName.problemWith(candidate)).contains("3 to 30 characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Acme",
        "ACME",
        "acme-",
        "-acme",
        "1acme",
        "9-lives",
        "acme_corp",
        "acme.corp",
        "acme corp",
        "a'; drop",
        "x\"; drop role postgres; --",
        "tënant",
        "tenant\u0000x",
        "acmé-corp"
      })
  void rejectsAnythingButALowercaseSlug(String candidate) {
    assertThat(TenantName.problemWith(candidate)).contains("lowercase slug");
    assertThatThrownBy(() -> new TenantName(candidate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lowercase slug");
  }

  @Test
  void rejectsDoubleDash() {
    assertThat(TenantName.problemWith("ac--me")).isEqualTo("tenant name must not contain '--'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "template0", "template1", "conductor", "public", "tenant"})
  void rejectsReservedNames(String candidate) {
    assertThat(TenantName.problemWith(candidate))
        .isEqualTo("tenant name '" + candidate + "' is reserved");
  }

  @Test
  void errorMessageDoesNotEchoRejectedInput() {
    assertThatThrownBy(() -> new TenantName("a'; drop")).hasMessageNotContaining("drop");
  }
}
