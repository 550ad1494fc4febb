package dev.conductor.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether this process's user owns a file, compared by user id: a user with no name (a container
 * run as a bare uid, as the server image is) owns files all the same, and user.name is then "?".
 */
final class FileOwner {
  // Read off a file we make: the JDK's UnixSystem says uid 0 for a user with no passwd entry.
  private static final long MY_UID = myUid();

  private FileOwner() {}

  static boolean isMe(Path path) throws IOException {
    return uidOf(path) == MY_UID;
  }

  private static long myUid() {
    try {
      Path probe = Files.createTempFile("conductor-uid", ".probe");
      try {
        return uidOf(probe);
      } finally {
        Files.delete(probe);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tell this process's user id", e);
    }
  }

  private static long uidOf(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  /** The owner as the system names it, for a message. */
  static String nameOf(Path path) throws IOException {
    return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
  }
}
