package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.MemoryFileSystem;

/** Mount points that would lose or hide something are refused before anything is mounted. */
class FuseMountRefusalTest {
  @TempDir Path temp;

  @BeforeEach
  void needsFuse() throws IOException {
    FuseMountSupport.assumeFuseUsable();
  }

  private IOException refusal(Path mountPoint) {
    return assertThrows(IOException.class,
        () -> FuseMount.mount(new MemoryFileSystem(), mountPoint, MountOptions.defaults("refused"), Duration.ofSeconds(10)));
  }

  @Test
  void aMissingDirectory() {
    IOException e = refusal(temp.resolve("absent"));
    assertTrue(e.getMessage().contains("is not an existing directory: create it first"), e.getMessage());
  }

  @Test
  void aRegularFile() throws IOException {
    IOException e = refusal(Files.createFile(temp.resolve("file")));
    assertTrue(e.getMessage().contains("is not an existing directory"), e.getMessage());
  }

  @Test
  void aDirectoryWithFilesInIt() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("full"));
    Files.writeString(dir.resolve("precious"), "keep me");
    IOException e = refusal(dir);
    assertTrue(e.getMessage().contains("is not empty: mounting would hide its files"), e.getMessage());
    assertTrue(MountTable.find(dir).isEmpty());
  }
}
