package dev.conductor.api;

import dev.conductor.api.v1.Problem;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the HTTP listener against clients that hold connections without finishing requests: caps
 * open connections, closes a connection that does not deliver a complete request head in time, and
 * answers an oversized request line with 414 and oversized headers with 431.
 */
@Singleton
public class ConnectionGuard
    implements NettyServerCustomizer, BeanCreatedEventListener<NettyServerCustomizer.Registry> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private final HttpEdgeSettings settings;
  private final AtomicInteger open = new AtomicInteger();
  // Logged once per burst of refusals, not once per refused connection.
  private final AtomicBoolean refusing = new AtomicBoolean();

  ConnectionGuard(HttpEdgeSettings settings) {
    this.settings = settings;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    event.getBean().register(this);
    return event.getBean();
  }

  @Override
  public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
    return role == ChannelRole.CONNECTION ? new Connection(channel) : this;
  }

  /** One accepted connection: counted while open, its request heads on a deadline. */
  private final class Connection implements NettyServerCustomizer {
    private final Channel channel;
    private @Nullable ScheduledFuture<?> deadline;
    private boolean refused;
    // No request is being received or answered: the next bytes begin a request head.
    private boolean awaitingHead = true;

    Connection(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void onStreamPipelineBuilt() {
      if (channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null) {
        return;
      }
      channel.pipeline().addFirst("conductor-connection-cap", new Cap());
      channel
          .pipeline()
          .addAfter(
              ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
              "conductor-request-head",
              new Heads());
    }

    private void startDeadline(ChannelHandlerContext ctx) {
      cancelDeadline();
      deadline =
          ctx.executor()
              .schedule(
                  () -> {
                    LOG.debug("closing connection without a complete request head in time");
                    ctx.channel().close();
                  },
                  settings.requestHeadTimeout().toMillis(),
                  TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    /** First in the pipeline: counts the connection and refuses it past the cap. */
    private final class Cap extends ChannelInboundHandlerAdapter {
      @Override
      public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > settings.maxConnections()) {
          refused = true;
          if (refusing.compareAndSet(false, true)) {
            LOG.warn("refusing connections max-connections={}", settings.maxConnections());
          }
          ctx.close();
          return;
        }
        refusing.set(false);
        startDeadline(ctx);
        super.channelActive(ctx);
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (awaitingHead && deadline == null) {
          // The first bytes of a request: its head is due within the timeout.
          startDeadline(ctx);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        cancelDeadline();
        if (!refused) {
          super.channelInactive(ctx);
        }
      }
    }

    /** After the HTTP codec: sees decoded request heads and the end of each response. */
    private final class Heads extends ChannelDuplexHandler {
      private boolean rejected;
      private int unanswered;

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (msg instanceof HttpRequest request) {
          unanswered++;
          awaitingHead = false;
          cancelDeadline();
          if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
              reject(
                  ctx,
                  msg,
                  HttpResponseStatus.REQUEST_URI_TOO_LONG,
                  "the request line (method and URL) is longer than the server accepts");
              return;
            }
            if (cause instanceof TooLongHttpHeaderException) {
              reject(
                  ctx,
                  msg,
                  HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                  "the request headers are larger than the server accepts");
              return;
            }
          }
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean informational =
            msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !informational && --unanswered <= 0) {
          // Every request is answered: an idle keep-alive connection is left to the idle timeout.
          unanswered = 0;
          awaitingHead = true;
        }
        ctx.write(msg, promise);
      }

      private void reject(
          ChannelHandlerContext ctx, Object request, HttpResponseStatus status, String detail) {
        rejected = true;
        ReferenceCountUtil.release(request);
        byte[] body =
            ("{\"type\":\"about:blank\",\"title\":\""
                    + status.reasonPhrase()
                    + "\",\"status\":"
                    + status.code()
                    + ",\"detail\":\""
                    + detail
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
