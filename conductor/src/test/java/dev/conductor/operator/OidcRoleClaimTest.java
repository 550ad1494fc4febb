package dev.conductor.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class OidcRoleClaimTest {

  @Test
  void aStringOrTheMostPrivilegedOfAListNamesTheRole() {
    assertThat(OidcTokens.role("read-only")).isEqualTo(OperatorRole.READ_ONLY);
    assertThat(OidcTokens.role(List.of("read-only", "admin", "operator")))
        .isEqualTo(OperatorRole.ADMIN);
    assertThat(OidcTokens.role(List.of("viewer", "operator"))).isEqualTo(OperatorRole.OPERATOR);
  }

  @Test
  void anythingElseNamesNone() {
    assertThat(OidcTokens.role(null)).isNull();
    assertThat(OidcTokens.role("superuser")).isNull();
    assertThat(OidcTokens.role(List.of())).isNull();
    assertThat(OidcTokens.role(42)).isNull();
  }

  @Test
  void onlyAJwtShapedTokenIsCheckedWithTheIssuer() {
    assertThat(OidcTokens.looksLikeJwt("eyJh.eyJi.sig")).isTrue();
    assertThat(OidcTokens.looksLikeJwt("co_abcdef")).isFalse();
    assertThat(OidcTokens.looksLikeJwt("a..b")).isFalse();
    assertThat(OidcTokens.looksLikeJwt(".a.b")).isFalse();
  }
}
