package org.keepfs.fs123;

/** The request kinds ({@code <F>}) of protocol 7.2 that an unencrypted server answers. */
public enum RequestKind {
  ATTRIBUTES('a'),
  DIRECTORY('d'),
  FILE('f'),
  LINK('l'),
  STATFS('s'),
  XATTR('x'),
  STATISTICS('n');

  private final char letter;

  RequestKind(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  /** The kind for a URL letter, or null if the letter is not one of a d f l s x n. */
  public static RequestKind ofLetter(char c) {
    return switch (c) {
      case 'a' -> ATTRIBUTES;
      case 'd' -> DIRECTORY;
      case 'f' -> FILE;
      case 'l' -> LINK;
      case 's' -> STATFS;
      case 'x' -> XATTR;
      case 'n' -> STATISTICS;
      default -> null;
    };
  }
}
