package dev.conductor.cli.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.OperationView;
import dev.conductor.cli.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OperationFormatTest {

  @Test
  void detailShowsStatusErrorAndEvents() {
    String operation =
        """
        {"id":"op-1","tenant":"acme","kind":"PROVISION","status":"FAILED",
         "createdAt":"2025-11-21T10:00:00Z","updatedAt":"2025-11-21T10:00:05Z",
         "error":"queue: broker unavailable",
         "events":[{"at":"2025-11-21T10:00:00Z","level":"INFO","message":"creating database"},
                   {"at":"2025-11-21T10:00:05Z","level":"ERROR","message":"queue failed"}]}
        """;

    assertThat(OperationFormat.detail(Json.read(operation, OperationView.class)))
        .isEqualTo(
            """
            Operation:  op-1
            Tenant:     acme
            Kind:       PROVISION
            Status:     FAILED
            Created:    2025-11-21T10:00:00Z
            Updated:    2025-11-21T10:00:05Z
            Error:      queue: broker unavailable

            AT                    LEVEL  MESSAGE
            2025-11-21T10:00:00Z  INFO   creating database
            2025-11-21T10:00:05Z  ERROR  queue failed
            """);
  }

  @Test
  void terminalProgressUpdatesOneLineAndKeepsWarnings() {
    StringWriter text = new StringWriter();
    ProgressPrinter progress = ProgressPrinter.of(new PrintWriter(text), true);

    progress.event(new OperationEvent("t1", "INFO", "creating database"));
    progress.event(new OperationEvent("t2", "INFO", "creating queue"));
    progress.event(new OperationEvent("t3", "WARN", "slow broker"));
    progress.finish();

    assertThat(text.toString())
        .isEqualTo(
            "\r\033[K... creating database\r\033[K... creating queue\r\033[KWARN slow broker\n");
  }
}
