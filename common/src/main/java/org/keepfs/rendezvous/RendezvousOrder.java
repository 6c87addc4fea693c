package org.keepfs.rendezvous;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.keepfs.locator.Locator;

/**
 * The order in which clients probe Keep services for a block: descending
 * {@code md5_hex(blockHash + suffix)}, where the suffix is the last 15 characters of a 27-character
 * service uuid ({@code zzzzz-bi6l4-} stripped) and the whole string for any other identifier. Every
 * client computes the same order, so writers put replicas where readers look first.
 */
public final class RendezvousOrder {
  private static final int UUID_LENGTH = 27;
  private static final int UUID_SUFFIX_LENGTH = 15;
  private static final HexFormat HEX = HexFormat.of();

  private RendezvousOrder() {}

  /** The service uuids in probe order for the block with this 32-hex hash. Ties keep input order. */
  public static List<String> of(String blockHash, List<String> serviceUuids) {
    return of(blockHash, serviceUuids, Function.identity());
  }

  /** {@code services} in probe order for the block with this hash, each named by {@code uuidOf}. */
  public static <T> List<T> of(String blockHash, List<T> services, Function<? super T, String> uuidOf) {
    if (!Locator.isHash(blockHash)) {
      throw new IllegalArgumentException("'" + blockHash + "' is not a block hash (32 lower-case hex digits)");
    }
    record Weighted<T>(T service, String weight) {}
    MessageDigest md5 = newMd5();
    List<Weighted<T>> weighted = new ArrayList<>(services.size());
    for (T service : services) {
      weighted.add(new Weighted<>(service, weight(md5, blockHash, uuidOf.apply(service))));
    }
    // Equal-length lower-case hex compares like the number it spells.
    weighted.sort(Comparator.comparing((Weighted<T> w) -> w.weight()).reversed());
    return weighted.stream().map(Weighted::service).toList();
  }

  /** The probe weight of one service for one block: {@code md5_hex(blockHash + suffix(uuid))}. */
  public static String weight(String blockHash, String serviceUuid) {
    return weight(newMd5(), blockHash, serviceUuid);
  }

  private static String weight(MessageDigest md5, String blockHash, String serviceUuid) {
    String suffix = serviceUuid.length() == UUID_LENGTH
        ? serviceUuid.substring(UUID_LENGTH - UUID_SUFFIX_LENGTH)
        : serviceUuid;
    md5.reset();
    return HEX.formatHex(md5.digest((blockHash + suffix).getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available in this JDK", e);
    }
  }
}
