package org.keepfs.gateway.keep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KeepServiceTest {
  @Command(name = "gateway")
  static final class GatewayCommand {
    @Mixin KeepOptions keep;
  }

  @TempDir Path dir;

  KeepOptions parse(String... args) {
    GatewayCommand command = new GatewayCommand();
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return command.keep;
  }

  Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void optionsBuildAWorkingBlockServiceAndCollectionsApi() throws Exception {
    Path writeTokens = file("write-tokens", "# writers\nalpha\n\nbeta\n");
    Path key = file("key", "secret-signing-key\n");
    KeepOptions options = parse("--data", dir.resolve("data").toString(), "--write-token-file", writeTokens.toString(),
        "--blob-signing-key-file", key.toString(), "--blob-signature-ttl", "2d");
    assertEquals(Duration.ofDays(2), options.blobSignatureTtl);
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (KeepService service = KeepService.open(options, Clock.systemUTC(), registry)) {
      Map<String, Handler> routes = new LinkedHashMap<>();
      service.routes().forEach(r -> routes.put(r.prefix(), r.handler()));
      assertEquals(java.util.List.of("/keep", "/collections", "/by_id"), java.util.List.copyOf(routes.keySet()));
      try (JettyFixture server = JettyFixture.start(routes)) {
        byte[] foo = "foo".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = Http.put(server.uri("/keep/acbd18db4cc2f85cedef654fccc4a4d8"), foo, "Authorization", "Bearer beta");
        assertEquals(200, put.statusCode(), Http.text(put));
        String signed = Http.text(put).trim();
        assertTrue(signed.startsWith("acbd18db4cc2f85cedef654fccc4a4d8+3+A"), signed);
        assertTrue(Files.exists(dir.resolve("data/blocks/acb/acbd18db4cc2f85cedef654fccc4a4d8")));
        assertEquals(401, Http.get(server.uri("/keep/acbd18db4cc2f85cedef654fccc4a4d8+3")).statusCode());
        assertEquals("foo", Http.text(Http.get(server.uri("/keep/" + signed), "Authorization", "Bearer beta")));
        assertEquals(403, Http.get(server.uri("/keep/" + signed), "Authorization", "Bearer alpha").statusCode());

        byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("manifest_text", ". " + signed + " 0:3:foo\n"));
        HttpResponse<byte[]> created = Http.put(server.uri("/collections/c1"), body, "Authorization", "Bearer beta",
            "If-None-Match", "*");
        assertEquals(201, created.statusCode(), Http.text(created));
        assertTrue(Files.isDirectory(dir.resolve("data/collections/heads")));
        // Requests and bytes are the server's route meters (GatewayKeepCommandTest); the service adds none.
        assertTrue(registry.getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("keepfs.keep.")
            && !m.getId().getName().equals("keepfs.keep.store.failures")), registry.getMetersAsString());
      }
    }
  }

  @Test
  void badOptionsAreRefusedWithTheOptionNamed() throws Exception {
    Path data = dir.resolve("data");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> KeepService.open(
        parse("--data", data.toString(), "--write-token-file", dir.resolve("nope").toString()), Clock.systemUTC()));
    assertTrue(missing.getMessage().contains("--write-token-file") && missing.getMessage().contains("does not exist"),
        missing.getMessage());

    Path empty = file("empty", "# nothing\n\n");
    IllegalArgumentException noTokens = assertThrows(IllegalArgumentException.class, () -> KeepService.open(
        parse("--data", data.toString(), "--read-token-file", empty.toString()), Clock.systemUTC()));
    assertTrue(noTokens.getMessage().contains("holds no token"), noTokens.getMessage());

    IllegalArgumentException nowhere = assertThrows(IllegalArgumentException.class, () -> KeepService.open(
        parse("--data", data.toString(), "--no-local-blocks"), Clock.systemUTC()));
    assertTrue(nowhere.getMessage().contains("--s3-bucket or --keep-service"), nowhere.getMessage());

    IllegalArgumentException badService = assertThrows(IllegalArgumentException.class, () -> KeepService.open(
        parse("--data", data.toString(), "--keep-service", "zzzzz=ftp://example"), Clock.systemUTC()));
    assertTrue(badService.getMessage().contains("--keep-service"), badService.getMessage());

    IllegalArgumentException writeNowhere = assertThrows(IllegalArgumentException.class, () -> KeepService.open(
        parse("--data", data.toString(), "--write-to", "s3"), Clock.systemUTC()));
    assertTrue(writeNowhere.getMessage().contains("--write-to s3"), writeNowhere.getMessage());

    IllegalArgumentException s3Collections = assertThrows(IllegalArgumentException.class, () -> KeepService.open(
        parse("--data", data.toString(), "--collection-store", "s3"), Clock.systemUTC()));
    assertTrue(s3Collections.getMessage().contains("--s3-bucket"), s3Collections.getMessage());

    CommandLine.ParameterException badTtl = assertThrows(CommandLine.ParameterException.class,
        () -> parse("--blob-signature-ttl", "3 weeks"));
    assertTrue(badTtl.getMessage().contains("3 weeks"), badTtl.getMessage());
    assertThrows(CommandLine.ParameterException.class, () -> parse("--blob-signature-ttl", "0h"));
    assertEquals(Duration.ofSeconds(1209600), parse("--blob-signature-ttl", "1209600").blobSignatureTtl);
  }
}
