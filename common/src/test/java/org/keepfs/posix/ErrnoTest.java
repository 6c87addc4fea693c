package org.keepfs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class ErrnoTest {
  @Test
  void specificExceptionsMapToTheirErrno() {
    assertEquals(Errno.ENOENT, Errno.of(new NoSuchFileException("x")));
    assertEquals(Errno.EEXIST, Errno.of(new FileAlreadyExistsException("x")));
    assertEquals(Errno.ENOTEMPTY, Errno.of(new DirectoryNotEmptyException("x")));
    assertEquals(Errno.ENOTDIR, Errno.of(new NotDirectoryException("x")));
    assertEquals(Errno.EACCES, Errno.of(new AccessDeniedException("x")));
    assertEquals(Errno.EBADF, Errno.of(new ClosedChannelException()));
    assertEquals(Errno.ESTALE, Errno.of(new ErrnoException(Errno.ESTALE, "cookie changed")));
  }

  @Test
  void reasonTextIsRecognised() {
    assertEquals(Errno.EISDIR, Errno.of(new FileSystemException("x", null, "Is a directory")));
    assertEquals(Errno.ENOSPC, Errno.of(new FileSystemException("x", null, "No space left on device")));
  }

  @Test
  void unknownFailuresAreEio() {
    assertEquals(Errno.EIO, Errno.of(new IOException("boom")));
    assertEquals(Errno.EIO, Errno.of(new IllegalStateException("boom")));
    assertEquals(Errno.EIO, Errno.of(new FileSystemException("x", null, "Something odd")));
  }
}
