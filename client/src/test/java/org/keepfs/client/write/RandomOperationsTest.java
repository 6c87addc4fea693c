package org.keepfs.client.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.manifest.File;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.Segment;

/**
 * Random writes, truncations and commits on one file, checked after every step against a plain byte
 * array, and after each commit against the bytes the manifest's segments name.
 */
class RandomOperationsTest {
  @TempDir Path spool;

  @Test
  void extentsAlwaysDescribeTheBytes() throws IOException {
    Random random = new Random(20261123);
    try (WriterFixture w = new WriterFixture(spool)) {
      WritableCollection c = WritableCollection.empty(w.ctx);
      byte[] model = new byte[0];
      try (FileHandle h = c.open("f", WriterFixture.READ_WRITE, true)) {
        for (int step = 0; step < 3000; step++) {
          int op = random.nextInt(20);
          if (op == 0) {
            int size = random.nextInt(300_000);
            h.truncate(size);
            model = Arrays.copyOf(model, size);
          } else if (op == 1) {
            WriterFixture.manifest(c);
            assertArrayEquals(model, fromManifest(w, c), "manifest bytes differ at step " + step);
          } else {
            int offset = random.nextInt(model.length + 5000);
            byte[] data = new byte[1 + random.nextInt(20_000)];
            random.nextBytes(data);
            h.write(ByteBuffer.wrap(data), offset);
            if (offset + data.length > model.length) {
              model = Arrays.copyOf(model, offset + data.length);
            }
            System.arraycopy(data, 0, model, offset, data.length);
          }
          assertEquals(model.length, h.size());
          if (step % 50 == 0) {
            ByteBuffer back = ByteBuffer.allocate(model.length);
            h.read(back, 0);
            assertArrayEquals(model, back.array(), "read-back differs at step " + step);
          }
        }
      }
      WriterFixture.manifest(c);
      assertArrayEquals(model, fromManifest(w, c));
    }
  }

  /** The file's bytes as the committed manifest names them, read from the block store. */
  private static byte[] fromManifest(WriterFixture w, WritableCollection c) throws IOException {
    Manifest m = Manifest.parse(WriterFixture.manifest(c));
    File f = (File) m.lookup("f").orElseThrow();
    ByteBuffer out = ByteBuffer.allocate((int) f.size());
    for (Segment s : f.segments()) {
      ByteBuffer piece = out.slice(out.position(), (int) s.length());
      w.store.read(s.block(), s.offset(), piece);
      out.position(out.position() + (int) s.length());
    }
    return out.array();
  }
}
