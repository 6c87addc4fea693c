package org.keepfs.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Fs123RequestTest {
  @Test
  void parsesEveryKind() {
    assertEquals(new Fs123Request("", RequestKind.ATTRIBUTES, "", new Fs123Query.None()),
        Fs123Request.parse("/fs123/7/2/a", null));
    assertEquals(new Fs123Request("/sel/ec", RequestKind.ATTRIBUTES, "/data/x", new Fs123Query.None()),
        Fs123Request.parse("/sel/ec/fs123/7/2/a/data/x", "17"));
    assertEquals(new Fs123Query.Dir(128, true, 0), Fs123Request.parse("/fs123/7/2/d/data", "128;1;0").query());
    assertEquals(new Fs123Query.Dir(128, false, -3), Fs123Request.parse("/fs123/7/2/d/data", "128;0;-3;99").query());
    Fs123Query.File f = (Fs123Query.File) Fs123Request.parse("/fs123/7/2/f/data/f", "128;256;7").query();
    assertEquals(131072, f.lengthBytes());
    assertEquals(262144, f.offsetBytes());
    assertEquals(new Fs123Query.Xattr(0, "user.a;b/c"), Fs123Request.parse("/fs123/7/2/x/p", "0;user.a%3Bb%2Fc;").query());
    assertEquals(new Fs123Query.Xattr(128, ""), Fs123Request.parse("/fs123/7/2/x/p", "128;;").query());
    assertEquals(RequestKind.LINK, Fs123Request.parse("/fs123/7/2/l/p", null).kind());
    assertEquals(RequestKind.STATFS, Fs123Request.parse("/fs123/7/2/s", null).kind());
    assertEquals(RequestKind.STATISTICS, Fs123Request.parse("/fs123/7/2/n", null).kind());
  }

  @Test
  void decodesPercentEscapesOnceAndKeepsPlus() {
    Fs123Request r = Fs123Request.parse("/fs123/7/2/a/d/a%20b+c%2525%C3%A9", null);
    assertEquals("/d/a b+c%25é", r.path());
  }

  @Test
  void buildsWhatItParses() {
    Fs123Request r = new Fs123Request("/p", RequestKind.DIRECTORY, "/dir/a b+é~", new Fs123Query.Dir(128, false, 77));
    assertEquals("/p/fs123/7/2/d/dir/a%20b%2B%C3%A9~?128;0;77", r.toUrl());
    int q = r.toUrl().indexOf('?');
    assertEquals(r, Fs123Request.parse(r.toUrl().substring(0, q), r.toUrl().substring(q + 1)));
    Fs123Request x = new Fs123Request("", RequestKind.XATTR, "/f", new Fs123Query.Xattr(0, "user.x y"));
    assertEquals("/fs123/7/2/x/f?0;user.x%20y;", x.toUrl());
    assertEquals("/fs123/7/2/a", new Fs123Request("", RequestKind.ATTRIBUTES, "", new Fs123Query.None()).toUrl());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "/nothing/here|no /fs123/",
    "/fs123/7/1/a/x|protocol /fs123/7/1 is not supported",
    "/fs123/8/2/a/x|not supported",
    "/fs123/7|needs /fs123/",
    "/fs123/7/2/|no request kind",
    "/fs123/7/2/q/x|unknown request kind 'q'",
    "/fs123/7/2/ab/x|unknown request kind 'ab'",
    "/fs123/7/2/a/x/../y|'..'",
    "/fs123/7/2/a/x/..|'..'",
    "/fs123/7/2/a/x/%2E%2E/y|'..'",
    "/fs123/7/2/a/x//y|'//'",
    "/fs123/7/2/a/x/|end with '/'",
    "/fs123/7/2/a/x/./y|'.'",
    "/fs123/7/2/a/x%2Fy|encoded '/'",
    "/fs123/7/2/a/x%2fy|encoded '/'",
    "/fs123/7/2/a/x%00y|NUL",
    "/fs123/7/2/a/x%zz|two hex digits",
    "/fs123/7/2/a/x%4|two hex digits",
    "/fs123/7/2/a/x%FF|UTF-8",
    "/fs123/7/2/ax|unknown request kind",
  })
  void rejectsBadPathsNamingTheProblem(String path, String expected) {
    Fs123FormatException e = assertThrows(Fs123FormatException.class, () -> Fs123Request.parse(path, null));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "d|", "d|128", "d|128;1", "d|x;1;0", "d|128;2;0", "d|0;1;0", "d|128;1;zz", "d|99999999;1;0",
    "f|", "f|128", "f|128;-1", "f|0;0", "f|128;1.5",
    "x|", "x|5", "x|abc;n;", "x|1;%zz;",
  })
  void rejectsBadQueries(String kind, String query) {
    assertThrows(Fs123FormatException.class, () -> Fs123Request.parse("/fs123/7/2/" + kind + "/p", query));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/a", "/a/b c", "/é"})
  void pathCodecRoundTrips(String path) {
    assertEquals(path, PathCodec.decode("path", PathCodec.encode(path), false));
  }
}
