package dev.conductor.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A plain socket to the conductor, for requests that no well-behaved HTTP client would send. */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** Connects over loopback; reads give up after {@code readTimeoutMillis}. */
  static RawHttp connect(URI base, int readTimeoutMillis) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
      socket.setSoTimeout(readTimeoutMillis);
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /**
   * Everything the server sends until it closes the connection; null when the read timeout passes
   * first (the server kept the connection open).
   */
  String readUntilClosed() throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      // A reset is a close too.
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * The response's status line and headers, then as many body bytes as Content-Length says; null
   * when the server closes the connection or the read timeout passes before a response head.
   */
  String readResponse() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      while (!received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        received.write(b);
      }
      String head = received.toString(StandardCharsets.ISO_8859_1);
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /** Whether the server has closed the connection, waiting at most {@code millis} to see it. */
  boolean closedWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
