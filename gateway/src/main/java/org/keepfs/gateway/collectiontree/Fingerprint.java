package org.keepfs.gateway.collectiontree;

import java.nio.charset.StandardCharsets;
import org.keepfs.manifest.File;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.manifest.Segment;

/**
 * The ESTALE cookies and inode numbers of collection trees, each a 64-bit hash that is never 0 (0
 * means "unknown" to fs123 clients).
 *
 * <ul>
 *   <li>A file's cookie hashes its content (each segment's block, offset and length), so a file keeps
 *       its cookie across updates of its collection that leave it alone, and open handles stay valid,
 *       while a file whose content changed is a different object, as after a rename-over.
 *   <li>A directory's cookie hashes the collection's PDH and the directory's path: when a name points
 *       at another manifest, its directories are different objects.
 * </ul>
 */
final class Fingerprint {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Fingerprint() {}

  static long ofFile(File file) {
    long h = FNV_OFFSET;
    for (Segment s : file.segments()) {
      h = bytes(h, s.block().hash().getBytes(StandardCharsets.US_ASCII));
      h = number(h, s.block().size());
      h = number(h, s.offset());
      h = number(h, s.length());
    }
    return finish(number(h, file.size()));
  }

  static long ofDirectory(PortableDataHash pdh, String path) {
    return finish(bytes(bytes(FNV_OFFSET, pdh.toString().getBytes(StandardCharsets.US_ASCII)),
        path.getBytes(StandardCharsets.UTF_8)));
  }

  /** A constant for a fixed directory such as a tree's root. */
  static long ofName(String name) {
    return finish(bytes(FNV_OFFSET, name.getBytes(StandardCharsets.UTF_8)));
  }

  /** An inode number for {@code path} in the manifest {@code pdh}. */
  static long inode(PortableDataHash pdh, String path) {
    return finish(bytes(ofDirectory(pdh, path), new byte[] {'i'}));
  }

  private static long bytes(long h, byte[] b) {
    for (byte x : b) {
      h = (h ^ (x & 0xff)) * FNV_PRIME;
    }
    return (h ^ 0xff) * FNV_PRIME; // a separator, so ("ab","c") and ("a","bc") differ
  }

  private static long number(long h, long v) {
    for (int i = 0; i < 8; i++) {
      h = (h ^ ((v >>> (8 * i)) & 0xff)) * FNV_PRIME;
    }
    return h;
  }

  private static long finish(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return z == 0 ? 1 : z;
  }
}
