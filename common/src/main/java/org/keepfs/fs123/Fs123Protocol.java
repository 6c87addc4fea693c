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

  /** Units of the Len and Offset query fields of {@code /f}, {@code /d} and {@code /x}. */
  public static final int KIB = 1024;

  private Fs123Protocol() {}
}
