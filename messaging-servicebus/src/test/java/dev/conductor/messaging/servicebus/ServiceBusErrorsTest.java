package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpErrorContext;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceExistsException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.messaging.servicebus.ServiceBusErrorSource;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import dev.conductor.messaging.BusException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ServiceBusErrorsTest {
  private static final String KEY = "c2VjcmV0LWtleS1uZXZlci10by1iZS1zaG93bg";
  private final ServiceBusErrors errors = new ServiceBusErrors("conductor", KEY);

  private static ServiceBusException serviceBus(
      AmqpErrorCondition condition, boolean transientFault) {
    return new ServiceBusException(
        new AmqpException(transientFault, condition, "broker says " + condition, context()),
        ServiceBusErrorSource.SEND);
  }

  private static AmqpErrorContext context() {
    return new AmqpErrorContext("acme.servicebus.windows.net");
  }

  @Test
  void throttlingTimeoutsAndLostConnectionsAreTransient() {
    ServiceBusException busy = serviceBus(AmqpErrorCondition.SERVER_BUSY_ERROR, true);
    assertThat(busy.getReason()).isEqualTo(ServiceBusFailureReason.SERVICE_BUSY);
    assertThat(errors.wrap("send", busy).isTransient()).isTrue();
    assertThat(
            errors.wrap("send", serviceBus(AmqpErrorCondition.TIMEOUT_ERROR, true)).isTransient())
        .isTrue();
    assertThat(
            errors
                .wrap("send", serviceBus(AmqpErrorCondition.CONNECTION_FORCED, true))
                .isTransient())
        .isTrue();
    assertThat(errors.wrap("send", new TimeoutException("no answer")).isTransient()).isTrue();
    assertThat(errors.wrap("send", new ConnectException("refused")).isTransient()).isTrue();
    // The SDK's blocking clients hand checked exceptions over wrapped by Reactor.
    assertThat(errors.wrap("send", Exceptions.propagate(new TimeoutException())).isTransient())
        .isTrue();
  }

  @Test
  void notFoundAndAccessDeniedArePermanentAndSaySo() {
    BusException missing =
        errors.wrap("send to 'jobs'", serviceBus(AmqpErrorCondition.NOT_FOUND, false));
    assertThat(missing.isTransient()).isFalse();
    assertThat(missing.getMessage()).startsWith("could not send to 'jobs': not found");

    BusException denied =
        errors.wrap("send to 'jobs'", serviceBus(AmqpErrorCondition.UNAUTHORIZED_ACCESS, false));
    assertThat(denied.isTransient()).isFalse();
    assertThat(denied.getMessage()).contains("access denied for 'conductor'", "'jobs'");
  }

  @Test
  void lockLossIsTransientAndMessageNotFoundIsRecognised() {
    assertThat(
            ServiceBusErrors.isTransient(serviceBus(AmqpErrorCondition.MESSAGE_LOCK_LOST, false)))
        .isTrue();
    assertThat(
            ServiceBusErrors.isMessageNotFound(
                serviceBus(AmqpErrorCondition.MESSAGE_NOT_FOUND, false)))
        .isTrue();
    assertThat(
            ServiceBusErrors.isAlreadyExists(
                serviceBus(AmqpErrorCondition.ENTITY_ALREADY_EXISTS, false)))
        .isTrue();
    assertThat(
            errors
                .wrap("send", serviceBus(AmqpErrorCondition.LINK_PAYLOAD_SIZE_EXCEEDED, false))
                .isTransient())
        .isFalse();
  }

  @Test
  void administrationStatusCodesWithoutAzure() {
    assertThat(ServiceBusErrors.isNotFound(new ResourceNotFoundException("gone", response(404))))
        .isTrue();
    assertThat(
            ServiceBusErrors.isAlreadyExists(new ResourceExistsException("there", response(409))))
        .isTrue();
    assertThat(ServiceBusErrors.isAccessDenied(new HttpResponseException("no", response(401))))
        .isTrue();
    assertThat(
            errors
                .wrap("create topic", new HttpResponseException("slow down", response(429)))
                .isTransient())
        .isTrue();
    assertThat(
            errors
                .wrap("create topic", new HttpResponseException("busy", response(503)))
                .isTransient())
        .isTrue();
    assertThat(
            errors
                .wrap("create topic", new HttpResponseException("bad", response(400)))
                .isTransient())
        .isFalse();
  }

  @Test
  void messagesNeverCarryKeysSignaturesOrConnectionStrings() {
    RuntimeException leaky =
        new RuntimeException(
            "failed for Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=conductor;"
                + "SharedAccessKey=abc+def/ghi=;EntityPath=jobs with token SharedAccessSignature"
                + " sr=amqp%3A%2F%2Facme&sig=SIGNATURE%3D&se=1&skn=conductor and key "
                + KEY);

    BusException wrapped = errors.wrap("send", leaky);

    assertThat(wrapped.getMessage())
        .doesNotContain("abc+def/ghi=", "SIGNATURE", KEY, "sig=SIG")
        .contains("SharedAccessKey=****", "acme.servicebus.windows.net");
    assertThat(wrapped.getCause()).as("the SDK's exception may hold a token").isNull();
  }

  @Test
  void busExceptionsPassThroughAndInterruptsAreTransient() {
    BusException own = new BusException("mine", false, null);
    assertThat(errors.wrap("x", own)).isSameAs(own);
    assertThat(errors.wrap("x", new InterruptedException()).isTransient()).isTrue();
    assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
  }

  /** An HTTP answer as the administration API would give it. */
  private static HttpResponse response(int status) {
    return new HttpResponse(
        new HttpRequest(HttpMethod.GET, "https://acme.servicebus.windows.net/x")) {
      @Override
      public int getStatusCode() {
        return status;
      }

      @Override
      public String getHeaderValue(String name) {
        return null;
      }

      @Override
      public HttpHeaders getHeaders() {
        return new HttpHeaders();
      }

      @Override
      public Flux<ByteBuffer> getBody() {
        return Flux.empty();
      }

      @Override
      public Mono<byte[]> getBodyAsByteArray() {
        return Mono.empty();
      }

      @Override
      public Mono<String> getBodyAsString() {
        return Mono.empty();
      }

      @Override
      public Mono<String> getBodyAsString(Charset charset) {
        return Mono.empty();
      }
    };
  }
}
