package dev.conductor.messaging.servicebus;

import com.azure.messaging.servicebus.administration.models.CorrelationRuleFilter;
import com.azure.messaging.servicebus.administration.models.CreateRuleOptions;
import com.azure.messaging.servicebus.administration.models.RuleFilter;
import com.azure.messaging.servicebus.administration.models.TrueRuleFilter;
import dev.conductor.messaging.CorrelationFilter;
import java.util.TreeMap;

/**
 * The subscription rule for a {@link CorrelationFilter}: always a correlation filter on application
 * properties, never SQL (a topic takes 100,000 correlation filters but only 2,000 SQL filters, and
 * correlation values need no quoting). The rule replaces the {@code $Default} match-all rule.
 */
final class ServiceBusFilters {
  /** The name of the one rule of each subscription the adapter creates. */
  static final String RULE_NAME = "conductor";

  private ServiceBusFilters() {}

  static RuleFilter ruleFilter(CorrelationFilter filter) {
    if (filter.properties().isEmpty()) {
      return new TrueRuleFilter();
    }
    CorrelationRuleFilter correlation = new CorrelationRuleFilter();
    new TreeMap<>(filter.properties())
        .forEach(
            (name, value) -> {
              if (name.isBlank()) {
                throw new IllegalArgumentException("filter property names must not be blank");
              }
              correlation.getProperties().put(name, value);
            });
    return correlation;
  }

  static CreateRuleOptions rule(CorrelationFilter filter) {
    return new CreateRuleOptions(ruleFilter(filter));
  }
}
