package dev.conductor.operation;

import dev.conductor.metrics.OperationMetrics;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends operation events; each one is also a structured log line. */
@Singleton
public class OperationLog {
  private static final Logger LOG = LoggerFactory.getLogger(OperationLog.class);
  private final OperationEventRepository events;
  private final OperationMetrics metrics;
  private final Clock clock;
  private final Tracing tracing;

  OperationLog(
      OperationEventRepository events, OperationMetrics metrics, Clock clock, Tracing tracing) {
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.tracing = tracing;
  }

  public void info(UUID operationId, String message) {
    append(operationId, "INFO", message);
  }

  public void warn(UUID operationId, String message) {
    append(operationId, "WARN", message);
  }

  public void error(UUID operationId, String message) {
    append(operationId, "ERROR", message);
  }

  private void append(UUID operationId, String level, String message) {
    LOG.info("operation={} level={} {}", operationId, level, message);
    events.save(new OperationEvent(null, operationId, clock.instant(), level, message));
  }

  /**
   * A listener that records a provisioner's progress as this operation's events and its steps'
   * durations as metrics, pausing {@code stepDelay} after each step (zero by default; the
   * resumability test slows runs down to kill a conductor mid-operation), and each step as a span
   * under {@code operation}, the operation's span.
   */
  public ProgressListener listener(UUID operationId, Duration stepDelay, Span operation) {
    return new ProgressListener() {
      @Override
      public void info(String message) {
        OperationLog.this.info(operationId, message);
        pause(stepDelay);
      }

      @Override
      public void warn(String message) {
        OperationLog.this.warn(operationId, message);
      }

      @Override
      public void stepEnded(String step, String action, boolean failed, Duration took) {
        metrics.stepEnded(step, action, failed, took);
        tracing.ended(operation, action + " " + step, took, failed);
      }
    };
  }

  private static void pause(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
