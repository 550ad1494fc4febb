package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.administration.models.CorrelationRuleFilter;
import com.azure.messaging.servicebus.administration.models.TrueRuleFilter;
import dev.conductor.messaging.CorrelationFilter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceBusFiltersTest {

  @Test
  void aWorkerFilterIsACorrelationRuleOnTheApplicationProperty() {
    CorrelationRuleFilter rule =
        (CorrelationRuleFilter)
            ServiceBusFilters.ruleFilter(CorrelationFilter.of("workerId", "w1"));

    assertThat(rule.getProperties()).containsExactly(Map.entry("workerId", "w1"));
    // System properties stay unset: only the application property is matched.
    assertThat(rule.getCorrelationId()).isNull();
    assertThat(rule.getLabel()).isNull();
    assertThat(rule.getMessageId()).isNull();
  }

  @Test
  void everyEntryIsMatchedAndValuesAreKeptVerbatim() {
    CorrelationFilter filter =
        new CorrelationFilter(Map.of("tenant", "o'brien", "type", "job' OR '1'='1"));

    CorrelationRuleFilter rule = (CorrelationRuleFilter) ServiceBusFilters.ruleFilter(filter);

    assertThat(rule.getProperties())
        .containsOnly(Map.entry("tenant", "o'brien"), Map.entry("type", "job' OR '1'='1"));
  }

  @Test
  void matchAllIsTheTrueFilter() {
    assertThat(ServiceBusFilters.ruleFilter(CorrelationFilter.ALL))
        .isInstanceOf(TrueRuleFilter.class);
    assertThat(ServiceBusFilters.rule(CorrelationFilter.ALL).getFilter())
        .isInstanceOf(TrueRuleFilter.class);
  }
}
