package org.keepfs.fs123;

/** The protocol's fixed names and numbers, in one place. */
public final class Fs123Protocol {
  public static final int MAJOR = 7;
  public static final int MINOR = 2;
  /** The path marker a server looks for; everything before it is an operator-chosen prefix. */
  public static final String MARKER = "/fs123/";
  /** What follows the prefix in every URL this protocol version uses. */
  public static final String VERSION_PATH = "/fs123/" + MAJOR + "/" + MINOR;

  public static final String ERRNO_HEADER = "fs123-errno";
  public static final String ESTALE_COOKIE_HEADER = "fs123-estalecookie";
  public static final String NEXT_OFFSET_HEADER = "fs123-nextoffset";

  /**
   * keepfs listing extension: a {@code /d} query field after Len;Begin;Offset that asks for each
   * entry's attributes ({@link AttributedDirEntry}). exportd reads the leading numbers of a query and
   * ignores the rest, so a plain fs123 server answers an ordinary listing; a server that honours it
   * marks the reply with {@link #ENTRY_ATTRIBUTES_HEADER}, and only such a reply is read as extended.
   */
  public static final String ENTRY_ATTRIBUTES_FIELD = "attrs";
  /** Marks a {@code /d} reply whose records carry attributes; its value is the format version, 1. */
  public static final String ENTRY_ATTRIBUTES_HEADER = "fs123-entryattrs";
  public static final String ENTRY_ATTRIBUTES_VERSION = "1";

  /** Units of the Len and Offset query fields of {@code /f}, {@code /d} and {@code /x}. */
  public static final int KIB = 1024;

  private Fs123Protocol() {}
}
