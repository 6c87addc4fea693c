package org.keepfs.fs123;

/**
 * The {@code ;}-separated query of an fs123 request, typed by request kind. Parsing is lenient the way
 * exportd's is about what follows the fields it needs (a client's cache tag, {@code ;N}, is appended
 * there), and strict about the fields themselves.
 */
public sealed interface Fs123Query {

  /** The query text without the leading '?', or "" when the request has none. */
  String format();

  /** Kinds a, l, s, n: no fields (a cache tag may follow and is ignored). */
  record None() implements Fs123Query {
    @Override
    public String format() {
      return "";
    }
  }

  /**
   * {@code /d}: Len (KiB), Begin (1 = from the start, Offset ignored), Offset (a previous nextoffset),
   * and whether the client asks for each entry's attributes (the keepfs extension, a fourth field
   * {@link Fs123Protocol#ENTRY_ATTRIBUTES_FIELD} that plain servers ignore).
   */
  record Dir(int lengthKiB, boolean begin, long offset, boolean withAttributes) implements Fs123Query {
    public Dir {
      checkLength(lengthKiB);
    }

    /** A plain fs123 listing request. */
    public Dir(int lengthKiB, boolean begin, long offset) {
      this(lengthKiB, begin, offset, false);
    }

    @Override
    public String format() {
      String plain = lengthKiB + ";" + (begin ? 1 : 0) + ";" + offset;
      return withAttributes ? plain + ";" + Fs123Protocol.ENTRY_ATTRIBUTES_FIELD : plain;
    }

    public int budgetBytes() {
      return lengthKiB * Fs123Protocol.KIB;
    }
  }

  /** {@code /f}: Len and Offset, both in KiB. */
  record File(int lengthKiB, long offsetKiB) implements Fs123Query {
    public File {
      checkLength(lengthKiB);
      if (offsetKiB < 0 || offsetKiB > Long.MAX_VALUE / Fs123Protocol.KIB) {
        throw new Fs123FormatException("/f Offset", Long.toString(offsetKiB), "out of range");
      }
    }

    @Override
    public String format() {
      return lengthKiB + ";" + offsetKiB;
    }

    public int lengthBytes() {
      return lengthKiB * Fs123Protocol.KIB;
    }

    public long offsetBytes() {
      return offsetKiB * Fs123Protocol.KIB;
    }
  }

  /** {@code /x}: Len (KiB; 0 asks for the size), and the attribute name ("" lists the names). */
  record Xattr(int lengthKiB, String name) implements Fs123Query {
    public Xattr {
      if (lengthKiB < 0 || lengthKiB > MAX_LENGTH_KIB) {
        throw new Fs123FormatException("/x Len", Integer.toString(lengthKiB), "must be 0 to " + MAX_LENGTH_KIB);
      }
    }

    @Override
    public String format() {
      return lengthKiB + ";" + PathCodec.encodeComponent(name) + ";";
    }
  }

  /** The largest Len a server accepts, in KiB: 16 MiB, exportd's {@code --max_single_write}. */
  int MAX_LENGTH_KIB = 16 * 1024;

  private static void checkLength(int lengthKiB) {
    if (lengthKiB < 1 || lengthKiB > MAX_LENGTH_KIB) {
      throw new Fs123FormatException("Len", Integer.toString(lengthKiB), "must be 1 to " + MAX_LENGTH_KIB + " KiB");
    }
  }

  /** Parses the raw query (without '?', null when absent) for a request kind. */
  static Fs123Query parse(RequestKind kind, String rawQuery) {
    String q = rawQuery == null ? "" : rawQuery;
    return switch (kind) {
      case ATTRIBUTES, LINK, STATFS, STATISTICS -> new None();
      case DIRECTORY -> {
        String[] f = fields("/d", q, 3, "Len;Begin;Offset");
        long len = Decimal.parseUnsigned("/d Len", f[0]);
        long begin = Decimal.parseUnsigned("/d Begin", f[1]);
        if (begin > 1) {
          throw new Fs123FormatException("/d Begin", f[1], "must be 0 or 1");
        }
        boolean withAttributes = false;
        for (int i = 3; i < f.length; i++) {
          // Any other trailing field is a client's cache tag, ignored as exportd ignores it.
          withAttributes |= f[i].equals(Fs123Protocol.ENTRY_ATTRIBUTES_FIELD);
        }
        yield new Dir(intLength("/d Len", f[0], len), begin == 1, Decimal.parseSigned("/d Offset", f[2]), withAttributes);
      }
      case FILE -> {
        String[] f = fields("/f", q, 2, "Len;Offset");
        long len = Decimal.parseUnsigned("/f Len", f[0]);
        long off = Decimal.parseUnsigned("/f Offset", f[1]);
        yield new File(intLength("/f Len", f[0], len), off);
      }
      case XATTR -> {
        String[] f = fields("/x", q, 2, "Len;name;");
        long len = Decimal.parseUnsigned("/x Len", f[0]);
        if (len > MAX_LENGTH_KIB) {
          throw new Fs123FormatException("/x Len", f[0], "must be 0 to " + MAX_LENGTH_KIB);
        }
        yield new Xattr((int) len, PathCodec.decode("/x name", f[1], true));
      }
    };
  }

  private static String[] fields(String kind, String q, int needed, String grammar) {
    String[] f = q.split(";", -1);
    if (f.length < needed) {
      throw new Fs123FormatException(kind + " query", q, "needs " + grammar);
    }
    return f;
  }

  private static int intLength(String what, String text, long len) {
    if (len < 1 || len > MAX_LENGTH_KIB) {
      throw new Fs123FormatException(what, text, "must be 1 to " + MAX_LENGTH_KIB + " KiB");
    }
    return (int) len;
  }
}
