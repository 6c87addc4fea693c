package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

class LinuxOpenFlagsTest {
  @Test
  void decodesAccessModeAndModifiers() throws Exception {
    assertEquals(OpenFlags.READ_ONLY, LinuxOpenFlags.decode(0));
    assertEquals(new OpenFlags(OpenFlags.Access.WRITE, true, false, true, false),
        LinuxOpenFlags.decode(LinuxOpenFlags.O_WRONLY | LinuxOpenFlags.O_CREAT | LinuxOpenFlags.O_EXCL | LinuxOpenFlags.O_TRUNC));
    assertEquals(new OpenFlags(OpenFlags.Access.READ_WRITE, false, true, false, true),
        LinuxOpenFlags.decode(LinuxOpenFlags.O_RDWR | LinuxOpenFlags.O_APPEND | LinuxOpenFlags.O_DIRECT));
  }

  @Test
  void accessModeThreeIsInvalid() {
    ErrnoException e = assertThrows(ErrnoException.class, () -> LinuxOpenFlags.decode(3));
    assertEquals(Errno.EINVAL, e.errno());
  }
}
