package dev.conductor.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per log line ({@code CONDUCTOR_LOG_FORMAT=json}): time, level, logger, thread,
 * message, the MDC (among it {@code trace_id} and {@code span_id} inside a traced span) and the
 * stack trace of a failure. Written here because no JSON encoder for logback is on the mirror.
 */
public class JsonLayout extends LayoutBase<ILoggingEvent> {

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(256);
    out.append('{');
    field(out, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    out.append(',');
    field(out, "level", event.getLevel().toString());
    out.append(',');
    field(out, "logger", event.getLoggerName());
    out.append(',');
    field(out, "thread", event.getThreadName());
    out.append(',');
    field(out, "message", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        out.append(',');
        field(out, entry.getKey(), entry.getValue());
      }
    }
    IThrowableProxy failure = event.getThrowableProxy();
    if (failure != null) {
      out.append(',');
      field(out, "exception", ThrowableProxyUtil.asString(failure));
    }
    out.append('}').append(CoreConstants.LINE_SEPARATOR);
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    string(out, name);
    out.append(':');
    string(out, value);
  }

  /** A JSON string: quotes, backslashes and control characters escaped, so a line stays one. */
  static void string(StringBuilder out, String value) {
    out.append('"');
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20 || c == 0x2028 || c == 0x2029) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
    }
    out.append('"');
  }
}
