package org.keepfs.client.write.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.write.block.SpoolBytes;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.PortableDataHash;

/** The spool's record formats, and the errors bad ones give. */
class SpoolTest {
  @TempDir Path dir;

  @Test
  void readsASnapshotAndJournal() throws IOException {
    Spool spool = new Spool(dir);
    Files.writeString(dir.resolve("snapshot"), "keepfs-spool 1\ncollection odd\\nname\\\\x\nbase d41d8cd98f00b204e9800998ecf8427e+0\n\n"
        + ". 00000000000000000000000000000000+5+Zspool7 0:5:a\n");
    Files.writeString(dir.resolve("journal"), "uploaded 3 acbd18db4cc2f85cedef654fccc4a4d8+3\n");
    Spool.Recovered r = spool.read();
    assertEquals("odd\nname\\x", r.name());
    assertEquals(Optional.of(PortableDataHash.EMPTY), r.base());
    assertEquals(List.of(7L), Spool.idsIn(r.tree()));
    assertEquals(Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3"), r.uploaded().get(3L));
    assertEquals("odd\nname\\x", Spool.unescape(Spool.escape("odd\nname\\x")));
  }

  @Test
  void aNewCollectionHasNoBase() throws IOException {
    Files.writeString(dir.resolve("snapshot"), "keepfs-spool 1\ncollection c\nbase -\n\n");
    assertEquals(Optional.empty(), new Spool(dir).read().base());
  }

  @Test
  void badRecordsAreRefusedWithWhatWasWrong() throws IOException {
    Spool spool = new Spool(dir);
    IOException none = assertThrows(IOException.class, spool::read);
    assertTrue(none.getMessage().contains("no snapshot"), none.getMessage());
    Files.writeString(dir.resolve("snapshot"), "not a spool\n");
    IOException header = assertThrows(IOException.class, spool::read);
    assertTrue(header.getMessage().contains("keepfs-spool 1"), header.getMessage());
    Files.writeString(dir.resolve("snapshot"), "keepfs-spool 1\ncollection c\nbase -\n\n");
    Files.writeString(dir.resolve("journal"), "uploaded 3 acbd18db4cc2f85cedef654fccc4a4d8+3\nsomething else\n");
    IOException journal = assertThrows(IOException.class, spool::read);
    assertTrue(journal.getMessage().contains("line 2"), journal.getMessage());
  }

  @Test
  void aSpoolFileShorterThanRecordedIsAnError() throws IOException {
    Path f = Files.write(dir.resolve("9"), new byte[3]);
    IOException e = assertThrows(IOException.class, () -> SpoolBytes.reopen(f, 10));
    assertTrue(e.getMessage().contains("holds 3 bytes"), e.getMessage());
  }

  @Test
  void spoolLocatorsAreRecognised() {
    assertEquals(Optional.of(12L), Spool.spoolId(Locator.parse("00000000000000000000000000000000+5+Zspool12")));
    assertEquals(Optional.empty(), Spool.spoolId(Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3")));
  }
}
