package org.keepfs.gateway.tree;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.NextOffset;

/**
 * A whole directory listing, encoded once, that pages are cut from without copying. The offset handed
 * to clients is the index of the next entry; a page never splits a record and never exceeds its budget.
 * The records live in one direct buffer, so a page goes from it to the socket with no copy in Java.
 */
public final class EncodedListing {
  private final ByteBuffer data;
  /** starts[i] is where record i begins; starts[count] == data.length. */
  private final int[] starts;
  private final List<DirEntry> entries;

  public EncodedListing(List<DirEntry> entries) {
    this.entries = List.copyOf(entries);
    ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 24);
    starts = new int[entries.size() + 1];
    for (int i = 0; i < entries.size(); i++) {
      starts[i] = out.size();
      out.writeBytes(entries.get(i).encode());
    }
    starts[entries.size()] = out.size();
    data = ByteBuffer.allocateDirect(Math.max(out.size(), 1));
    data.put(out.toByteArray()).clear();
  }

  /** The entries, in listing order: record i of the encoding is entry i. */
  public List<DirEntry> entries() {
    return entries;
  }

  public int count() {
    return starts.length - 1;
  }

  /** Bytes held, for cache accounting. */
  public int byteSize() {
    return data.capacity() + 4 * starts.length + 48 * entries.size();
  }

  /**
   * The records from {@code begin ? 0 : offset} that fit in {@code budgetBytes}. An offset past the end
   * gives an empty last page. A negative offset is the caller's mistake (EINVAL).
   */
  public DirPage page(boolean begin, long offset, int budgetBytes, long validator, long cookie)
      throws org.keepfs.posix.ErrnoException {
    if (!begin && offset < 0) {
      throw new org.keepfs.posix.ErrnoException(org.keepfs.posix.Errno.EINVAL, "negative directory offset " + offset);
    }
    int n = count();
    int first = begin ? 0 : (int) Math.min(offset, n);
    int last = first;
    while (last < n && starts[last + 1] - starts[first] <= budgetBytes) {
      last++;
    }
    ByteBuffer body = data.slice(starts[first], starts[last] - starts[first]);
    return new DirPage(body, new NextOffset(last, last == n), validator, cookie);
  }
}
