package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged manifests: whatever the bytes, the parser either accepts them (and then the result survives a
 * write and a re-parse) or throws a {@link ManifestFormatException} naming a line, never anything else.
 */
class MalformedInputFuzzTest {
  private static final String VALID =
      ". acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy 37b51d194a7513e45b56f6524f2d51f2+3 0:3:foo 3:3:b\\040r:x\n"
          + "./d\\072ir d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056 0:0:sub/.\n"
          + "./d\\072ir/x 73feffa4b7f6bb68e44cf984c85f6e88+3 0:1:a/b 1:2:a/b 0:3:été\n";
  private static final byte[] INTERESTING = " \n\t\\:/.+0123456789abcdefAKZ@\r\u0000".getBytes(StandardCharsets.ISO_8859_1);
  private static final int CASES = 20_000;

  @Test
  void damagedManifestsAreAcceptedConsistentlyOrRejectedWithALine() {
    Random random = new Random(11);
    byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
    int accepted = 0;
    int rejected = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] damaged = damage(random, valid);
      if (check(damaged, i)) {
        accepted++;
      } else {
        rejected++;
      }
    }
    assertTrue(accepted > 100 && rejected > 100, "the damage is varied: accepted " + accepted + ", rejected " + rejected);
  }

  @Test
  void randomBytesAreRejectedWithALine() {
    Random random = new Random(12);
    for (int i = 0; i < CASES; i++) {
      byte[] noise = new byte[random.nextInt(80)];
      for (int k = 0; k < noise.length; k++) {
        noise[k] = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
      }
      check(noise, i);
    }
  }

  /** True when accepted. */
  private static boolean check(byte[] text, int i) {
    Manifest m;
    try {
      m = Manifest.parse(text);
    } catch (ManifestFormatException e) {
      assertTrue(e.line() >= 1 && e.getMessage().startsWith("line " + e.line()), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      fail("case " + i + " threw " + e + " for " + Arrays.toString(text), e);
      return false;
    }
    byte[] normalized = m.normalizedText();
    Manifest again = Manifest.parse(normalized);
    assertTrue(m.sameTreeAs(again), "case " + i);
    assertArrayEquals(normalized, again.normalizedText(), "case " + i);
    return true;
  }

  private static byte[] damage(Random random, byte[] valid) {
    byte[] b = valid.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(b.length);
      byte value = INTERESTING[random.nextInt(INTERESTING.length)];
      switch (random.nextInt(3)) {
        case 0 -> b[at] = value;
        case 1 -> {
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = value;
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
        }
        default -> {
          if (b.length > 1) {
            byte[] shorter = new byte[b.length - 1];
            System.arraycopy(b, 0, shorter, 0, at);
            System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
            b = shorter;
          }
        }
      }
    }
    return b;
  }
}
