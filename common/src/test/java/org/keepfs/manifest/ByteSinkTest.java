package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSinkTest {
  @Test
  void decimalsMatchLongToStringAtEveryLength() {
    Random random = new Random(5);
    long[] edges = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
        4294967296L, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE};
    ByteSink sink = new ByteSink(1);
    StringBuilder expected = new StringBuilder();
    for (long v : edges) {
      sink.writeDecimal(v);
      sink.write(' ');
      expected.append(v).append(' ');
    }
    for (int i = 0; i < 10_000; i++) {
      long v = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
      sink.writeDecimal(v);
      sink.write(' ');
      expected.append(v).append(' ');
    }
    assertEquals(expected.toString(), new String(sink.toByteArray(), StandardCharsets.US_ASCII));
  }
}
