package org.keepfs.client.fuse.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
  private static final String MOUNTINFO = """
      22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/root rw
      90 22 0:42 / /tmp/with\\040space/mnt rw,nosuid - fuse.keepfs memory rw,user_id=0
      91 22 0:43 / /tmp/mnt rw,nosuid - fuse.keepfs first rw
      92 91 0:44 / /tmp/mnt rw,nosuid - fuse.keepfs stacked rw
      """;

  @Test
  void theDeviceOfTheMountAtAPathEvenWithEscapesAndStacking() {
    assertEquals(Optional.of("0:42"), ReadAhead.device(MOUNTINFO, Path.of("/tmp/with space/mnt")));
    assertEquals(Optional.of("0:44"), ReadAhead.device(MOUNTINFO, Path.of("/tmp/mnt")), "the last of stacked mounts");
    assertEquals(Optional.empty(), ReadAhead.device(MOUNTINFO, Path.of("/tmp")));
  }
}
