package dev.conductor.runtime;

import dev.conductor.messaging.DockerImages;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class at once, with the reason, unless a Docker engine answers and holds the server
 * image and the worker image it starts, both built here and never pulled.
 */
public final class ServerImage implements ExecutionCondition {
  public static final String IMAGE = "conductor-server:latest";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return DockerImages.missing(List.of(IMAGE, WorkerImage.IMAGE))
        .map(
            reason ->
                ConditionEvaluationResult.disabled(
                    reason
                        + " (worker-container/image/build-base.sh, then ./mvnw -pl"
                        + " conductor,worker-container -am -Pjib package -DskipTests; .ci/run does"
                        + " both where it can start an engine)"))
        .orElseGet(() -> ConditionEvaluationResult.enabled("the engine holds " + IMAGE));
  }
}
