package org.keepfs.fs123;

import java.util.Arrays;

/**
 * Builds one {@code /d} reply body out of encoded records without ever exceeding a byte budget
 * ({@code Len * 1024}): a record that would not fit is refused whole, never split.
 */
public final class DirChunkBuilder {
  private final int budget;
  private byte[] buf;
  private int size;
  private int count;

  public DirChunkBuilder(int budgetBytes) {
    if (budgetBytes < 1) {
      throw new IllegalArgumentException("byte budget must be positive, was " + budgetBytes);
    }
    this.budget = budgetBytes;
    this.buf = new byte[Math.min(budgetBytes, 4096)];
  }

  /** Appends the record if it fits in what is left of the budget; returns false (and adds nothing) if not. */
  public boolean add(DirEntry entry) {
    return addEncoded(entry.encode());
  }

  /** As {@link #add}, for a record already encoded with {@link DirEntry#encode}. */
  public boolean addEncoded(byte[] record) {
    if (size + record.length > budget) {
      return false;
    }
    if (size + record.length > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(budget, Math.max(buf.length * 2, size + record.length)));
    }
    System.arraycopy(record, 0, buf, size, record.length);
    size += record.length;
    count++;
    return true;
  }

  public int count() {
    return count;
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
