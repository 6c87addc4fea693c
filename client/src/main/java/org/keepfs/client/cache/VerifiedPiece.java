package org.keepfs.client.cache;

import java.nio.ByteBuffer;

/**
 * Bytes of a piece whose MD5 the cache has checked ({@link BlockCache#verify}): safe to hand to readers
 * at once and to store later ({@link BlockCache#store}). Only the cache makes them.
 */
public final class VerifiedPiece {
  private final PieceKey key;
  private final ByteBuffer data;
  private final byte[] md5;

  VerifiedPiece(PieceKey key, ByteBuffer data, byte[] md5) {
    this.key = key;
    this.data = data.asReadOnlyBuffer();
    this.md5 = md5.clone();
  }

  public PieceKey key() {
    return key;
  }

  /** The verified bytes, read-only; each call a view of its own. */
  public ByteBuffer bytes() {
    return data.duplicate();
  }

  byte[] md5() {
    return md5.clone();
  }
}
