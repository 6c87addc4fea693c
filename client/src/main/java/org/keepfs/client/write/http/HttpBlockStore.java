package org.keepfs.client.write.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.keepfs.client.write.block.BlockBytes;
import org.keepfs.client.write.block.BlockReader;
import org.keepfs.client.write.block.BlockUploader;
import org.keepfs.locator.Locator;

/**
 * Blocks through a gateway's {@code /keep/}: {@code PUT /keep/<md5>} streams a buffer block's bytes
 * (from memory or the spool, again on each retry) and returns the locator the gateway signed; reads
 * are {@code GET /keep/<locator>} with a byte range.
 */
public final class HttpBlockStore implements BlockUploader, BlockReader {
  private final GatewayHttp http;

  public HttpBlockStore(GatewayHttp http) {
    this.http = http;
  }

  @Override
  public Locator put(Locator unsigned, BlockBytes data) throws IOException {
    String what = "PUT /keep/" + unsigned.hashAndSize();
    GatewayHttp.Reply reply = http.execute(what, () -> {
      HttpPut put = new HttpPut(http.resolve("/keep/" + unsigned.hash()));
      put.setEntity(new BlockEntity(data));
      return put;
    });
    if (reply.status() != 200) {
      throw new HttpStatusException(reply.status(), what + ": " + reply.status() + " " + reply.text().trim());
    }
    Locator stored = Locator.parse(reply.text().trim());
    if (!stored.hash().equals(unsigned.hash()) || stored.size() != unsigned.size()) {
      throw new IOException(what + ": the gateway answered " + stored.hashAndSize());
    }
    return stored;
  }

  @Override
  public void read(Locator block, long offset, ByteBuffer dst) throws IOException {
    int length = dst.remaining();
    String what = "GET /keep/" + block.hashAndSize() + " bytes " + offset + "+" + length;
    GatewayHttp.Reply reply = http.execute(what, () -> {
      HttpGet get = new HttpGet(http.resolve("/keep/" + block));
      get.setHeader("Range", "bytes=" + offset + "-" + (offset + length - 1));
      return get;
    });
    if (reply.status() == 206 && reply.body().length == length) {
      dst.put(reply.body());
    } else if (reply.status() == 200 && reply.body().length == block.size()) {
      dst.put(reply.body(), (int) offset, length);
    } else {
      throw new HttpStatusException(reply.status(), what + ": " + reply.status() + " with " + reply.body().length + " bytes");
    }
  }

  /** A block's bytes as a repeatable request body of known length. */
  private static final class BlockEntity extends AbstractHttpEntity {
    private final BlockBytes data;

    BlockEntity(BlockBytes data) {
      super(ContentType.APPLICATION_OCTET_STREAM, null);
      this.data = data;
    }

    @Override
    public boolean isRepeatable() {
      return true;
    }

    @Override
    public long getContentLength() {
      return data.size();
    }

    @Override
    public InputStream getContent() {
      throw new UnsupportedOperationException("block bodies are written with writeTo");
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      data.writeTo(out);
    }

    @Override
    public boolean isStreaming() {
      return false;
    }

    @Override
    public void close() {}
  }
}
