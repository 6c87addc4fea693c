package org.keepfs.client.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.keepfs.client.write.block.BufferBlock;

/**
 * Copies bytes into fresh buffer blocks, starting the next block when one reaches 64 MiB. Used to pack
 * small files into shared blocks at commit and to squeeze overwritten bytes out of a full buffer.
 */
final class Packer {
  private final WriterContext ctx;
  private BufferBlock target;

  Packer(WriterContext ctx) {
    this.ctx = ctx;
  }

  /** Appends all of {@code src}; returns where it went, in order (more than one extent across a block boundary). */
  List<Extent> append(ByteBuffer src) throws IOException {
    List<Extent> out = new ArrayList<>(1);
    while (src.hasRemaining()) {
      if (target == null || target.room() == 0) {
        if (target != null) {
          ctx.pipeline().submit(target);
        }
        target = ctx.allocator().allocate();
      }
      int n = (int) Math.min(src.remaining(), target.room());
      ByteBuffer part = src.slice(src.position(), n);
      long at = target.append(part);
      src.position(src.position() + n);
      out.add(new Extent(target, at, n));
    }
    return out;
  }

  /** The block being filled, or null. */
  BufferBlock target() {
    return target;
  }

  /** Queues the last, partly filled block for upload. */
  void finish() throws IOException {
    if (target != null && target.size() > 0) {
      ctx.pipeline().submit(target);
    }
    target = null;
  }
}
