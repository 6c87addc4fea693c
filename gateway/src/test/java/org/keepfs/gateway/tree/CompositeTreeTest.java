package org.keepfs.gateway.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

class CompositeTreeTest {
  /** A one-file tree that records the paths it is asked about. */
  static final class OneFile implements Fs123Tree {
    final List<String> asked = new java.util.ArrayList<>();
    final long cookie;

    OneFile(long cookie) {
      this.cookie = cookie;
    }

    @Override
    public NodeAttributes attributes(String path) throws ErrnoException {
      asked.add(path);
      if (!path.isEmpty() && !path.equals("/f")) {
        throw new ErrnoException(Errno.ENOENT, path);
      }
      long mode = path.isEmpty() ? Attributes.S_IFDIR | 0755 : Attributes.S_IFREG | 0644;
      return new NodeAttributes(new Attributes(mode, 1, 0, 0, 3, 1, 1, 1, 7, 0, 0, 0, 0, 0, 4096, 0), 5, cookie);
    }

    @Override
    public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
      asked.add(path);
      return new EncodedListing(List.of(new DirEntry("f", DType.REG, cookie))).page(begin, offset, budgetBytes, 5, cookie);
    }

    @Override
    public FileRead read(String path, long offset, ByteBuffer into) {
      asked.add(path);
      into.put("abc".getBytes(StandardCharsets.US_ASCII));
      return new FileRead(3, 5, cookie, 3);
    }

    @Override
    public byte[] readlink(String path) throws ErrnoException {
      throw new ErrnoException(Errno.EINVAL, path);
    }

    @Override
    public StatfsReply statfs(String path) {
      return new StatfsReply(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Override
    public CacheControl cacheControl(String path, boolean directory) {
      return CacheControl.maxAge(cookie);
    }
  }

  @Test
  void routesEachNameToItsTreeWithThePathBelowIt() throws Exception {
    OneFile a = new OneFile(11);
    OneFile b = new OneFile(22);
    Map<String, Fs123Tree> children = new LinkedHashMap<>();
    children.put("a", a);
    children.put("b", b);
    CompositeTree root = new CompositeTree(children, CacheControl.maxAge(60), 1_700_000_000_123_456_789L);

    NodeAttributes r = root.attributes("");
    assertTrue(r.stat().isDirectory());
    assertEquals(1_700_000_000_123_456_789L, r.validator());
    assertEquals(0, r.cookie());
    assertEquals(22, root.attributes("/b/f").cookie());
    assertEquals(List.of("/f"), b.asked);
    assertEquals(11, root.attributes("/a").cookie());
    assertEquals(ErrnoException.class, assertThrows(ErrnoException.class, () -> root.attributes("/c")).getClass());
    assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> root.attributes("/c/x")).errno());
    assertEquals(60, root.cacheControl("", true).maxAgeOrZero());
    assertEquals(22, root.cacheControl("/b/f", false).maxAgeOrZero());
    assertEquals(60, root.cacheControl("/zzz", false).maxAgeOrZero());
    assertEquals(Errno.EISDIR, assertThrows(ErrnoException.class, () -> root.read("", 0, ByteBuffer.allocate(4))).errno());
  }

  @Test
  void rootListingHasDotsAndEveryChildWithItsCookie() throws Exception {
    CompositeTree root = new CompositeTree(Map.of("only", new OneFile(33)), CacheControl.maxAge(60), 1);
    DirPage page = root.list("", true, 0, 1024);
    byte[] body = new byte[page.body().remaining()];
    page.body().get(body);
    assertEquals(List.of(new DirEntry(".", DType.DIR, 0), new DirEntry("..", DType.DIR, 0), new DirEntry("only", DType.DIR, 33)),
        DirEntry.parseAll(body));
    assertTrue(page.next().eof());
  }

  @Test
  void badChildNamesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CompositeTree(Map.of("a/b", new OneFile(1)), CacheControl.maxAge(1), 1));
    assertThrows(IllegalArgumentException.class, () -> new CompositeTree(Map.of("..", new OneFile(1)), CacheControl.maxAge(1), 1));
  }

  @Test
  void encodedListingPagesWithinTheBudgetWithoutSplittingRecords() throws Exception {
    List<DirEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      entries.add(new DirEntry("name" + i, DType.REG, i));
    }
    EncodedListing listing = new EncodedListing(entries);
    List<DirEntry> seen = new java.util.ArrayList<>();
    DirPage p = listing.page(true, 0, 64, 0, 0);
    while (true) {
      assertTrue(p.body().remaining() <= 64);
      byte[] b = new byte[p.body().remaining()];
      p.body().get(b);
      seen.addAll(DirEntry.parseAll(b));
      if (p.next().eof()) {
        break;
      }
      p = listing.page(false, p.next().offset(), 64, 0, 0);
    }
    assertEquals(entries, seen);
    assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> listing.page(false, -1, 64, 0, 0)).errno());
  }
}
