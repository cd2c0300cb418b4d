package io.tritonwatch.parse;

/** Removes what terminals add to a line: ANSI colours, tqdm carriage-return rewrites, NULs. */
final class LineCleaner {

  private LineCleaner() {}

  static String clean(String raw) {
    String s = raw;
    int cr = s.lastIndexOf('\r');
    if (cr >= 0) {
      s = lastNonEmptySegment(s);
    }
    if (s.indexOf('\u001b') >= 0) {
      s = stripAnsi(s);
    }
    if (s.indexOf('\u0000') >= 0) {
      s = s.replace("\u0000", "");
    }
    return s;
  }

  /** tqdm redraws a bar with '\r'; the last drawn state is the one a person saw. */
  private static String lastNonEmptySegment(String s) {
    int end = s.length();
    while (end > 0) {
      int start = s.lastIndexOf('\r', end - 1);
      String seg = s.substring(start + 1, end);
      if (!seg.isBlank()) {
        return seg;
      }
      if (start < 0) {
        break;
      }
      end = start;
    }
    return "";
  }

  private static String stripAnsi(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        i++;
        if (i < n && s.charAt(i) == '[') {
          i++;
          while (i < n && !isCsiFinal(s.charAt(i))) {
            i++;
          }
          i++;
        } else if (i < n && s.charAt(i) == ']') {
          // OSC: runs to BEL or ESC-backslash
          while (i < n && s.charAt(i) != '\u0007' && s.charAt(i) != '\u001b') {
            i++;
          }
          i++;
        } else {
          i++;
        }
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean isCsiFinal(char c) {
    return c >= '@' && c <= '~';
  }
}
