package org.keepfs.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keepfs.SharedVectors;

class RendezvousOrderTest {
  /** The reference set: 16 services {@code zzzzz-bi6l4-%015x}. */
  private static final List<String> SERVICES = IntStream.range(0, 16)
      .mapToObj(i -> "zzzzz-bi6l4-%015x".formatted(i)).toList();

  static Stream<Arguments> referenceCases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : SharedVectors.read("keep.json").get("rendezvous").get("cases")) {
      cases.add(Arguments.of(c.get("i").asInt(), c.get("order").asText()));
    }
    // Two more from the Go and Python client tests (keep-arvados.md section 2.3).
    cases.add(Arguments.of(2, "c5b4e023f8a7d691"));
    cases.add(Arguments.of(3, "9d81c02e76a3bf54"));
    return cases.stream();
  }

  @ParameterizedTest(name = "block {0} -> {1}")
  @MethodSource("referenceCases")
  void probeOrderMatchesTheReferenceSet(int i, String expected) throws Exception {
    String blockHash = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
        .digest("%064x".formatted(i).getBytes(StandardCharsets.US_ASCII)));
    StringBuilder order = new StringBuilder();
    for (String uuid : RendezvousOrder.of(blockHash, SERVICES)) {
      order.append(Integer.toHexString(SERVICES.indexOf(uuid)));
    }
    assertEquals(expected, order.toString());
  }

  @Test
  void anIdentifierThatIsNotAUuidIsHashedWhole() {
    String hash = "acbd18db4cc2f85cedef654fccc4a4d8";
    assertEquals(RendezvousOrder.weight(hash, "abcdefghijklmnop"), md5Hex(hash + "abcdefghijklmnop"));
    assertEquals(RendezvousOrder.weight(hash, "zzzzz-bi6l4-000000000000001"), md5Hex(hash + "000000000000001"));
  }

  @Test
  void servicesOfAnyTypeAreOrderedByTheirUuid() {
    record Service(String uuid, String url) {}
    String hash = "acbd18db4cc2f85cedef654fccc4a4d8";
    List<Service> services = SERVICES.stream().map(u -> new Service(u, "http://" + u)).toList();
    List<Service> ordered = RendezvousOrder.of(hash, services, Service::uuid);
    assertEquals(RendezvousOrder.of(hash, SERVICES), ordered.stream().map(Service::uuid).toList());
    assertEquals(16, ordered.size());
  }

  @Test
  void aBadBlockHashIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RendezvousOrder.of("ACBD18DB4CC2F85CEDEF654FCCC4A4D8", SERVICES));
    assertTrue(e.getMessage().contains("ACBD18DB4CC2F85CEDEF654FCCC4A4D8"), e.getMessage());
  }

  private static String md5Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
