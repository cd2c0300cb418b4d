package io.tritonwatch.parse;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line in, what it says out. Pure: no clock, no I/O, no state; an unknown line is a normal
 * result and no input makes it throw.
 *
 * <p>Prefixes are peeled outermost first: Docker's RFC3339Nano stamp, a compose service name,
 * a log viewer's "YYYY-MM-DD HH:MM:SS.mmm | " column, a markdown quote; then the log header of
 * whichever program wrote the line (glog, vLLM, uvicorn, TensorRT-LLM).
 */
public final class LineParser {

  /** Past this, a line is a payload dump (a model config, a tensor) with nothing for us. */
  static final int MAX_MESSAGE = 1 << 20;

  private static final Pattern GLOG = Pattern.compile(
      "(?:^|\\s)([IWEF])\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{1,9}\\s+\\d+ [\\w.+\\-/]+:\\d+\\]");
  private static final Pattern TRTLLM = Pattern.compile(
      "^\\[(?:TensorRT-LLM|TM|TRT-LLM)\\](?:\\[[^\\]]*\\])?\\[(INFO|WARNING|ERROR|DEBUG|VERBOSE)\\] ?");

  private LineParser() {}

  public static ParsedLine parse(long number, String raw) {
    return parse(number, raw, true, false);
  }

  /**
   * The same reading of a line the caller has already looked at byte by byte and found free
   * of characters below U+0020 (carriage returns, colour codes, NUL): it is not searched for
   * them again. The lines `analyze` keeps are long start-up messages; three more passes over
   * each were about a seventh of their parsing.
   */
  public static ParsedLine parseClean(long number, String raw) {
    return parse(number, raw, true, true);
  }

  /**
   * A line whose engine stamp came as a value (a live reader took it off): read exactly as if
   * the stamp stood before the text, as {@code docker logs -t} prints it.
   *
   * @param stampNanos epoch nanoseconds, or {@link io.tritonwatch.text.Rfc3339#NONE}
   */
  public static ParsedLine parse(long number, String text, long stampNanos) {
    if (stampNanos == io.tritonwatch.text.Rfc3339.NONE) {
      return parse(number, text);
    }
    try {
      return parseUnsafe(number, text, true, false, LineTime.ofEpochNanos(stampNanos));
    } catch (RuntimeException e) {
      return new ParsedLine(number, null, ' ', false, "", List.of());
    }
  }

  /** @param screen false only in tests, to prove the noise screen hides nothing */
  static ParsedLine parse(long number, String raw, boolean screen) {
    return parse(number, raw, screen, false);
  }

  private static ParsedLine parse(long number, String raw, boolean screen, boolean clean) {
    try {
      return parseUnsafe(number, raw, screen, clean, null);
    } catch (RuntimeException e) {
      // A parser bug must never cost the follower its stream: the line is simply unread.
      return new ParsedLine(number, null, ' ', false, "", List.of());
    }
  }

  /** @param stamp the engine's stamp taken off before the text, or null */
  private static ParsedLine parseUnsafe(long number, String raw, boolean screen, boolean clean, LineTime stamp) {
    String s = raw.length() > MAX_MESSAGE ? raw.substring(0, MAX_MESSAGE) : raw;
    if (!clean && (s.indexOf('\r') >= 0 || s.indexOf('\u001b') >= 0 || s.indexOf('\u0000') >= 0)) {
      s = LineCleaner.clean(s);
    }
    LineTime time = stamp;
    char relayed = ' ';
    int p = 0;
    byte[] b = LineHeader.ascii(s);
    for (int guard = stamp == null ? 0 : 1; guard < 4; guard++) {
      Prefixes.Stamp st;
      int e;
      if ((st = Prefixes.docker(b, p)) != null) {
        time = time == null ? st.time() : time;
        p = st.end();
      } else if ((st = Prefixes.viewer(b, p)) != null) {
        time = time == null ? st.time() : time;
        p = st.end();
      } else if (s.startsWith("> ", p)) {
        // A paste quoted in markdown: "> " before each line, "**" around what mattered.
        s = s.substring(0, p) + s.substring(p + 2).replace("**", "");
        b = LineHeader.ascii(s);
      } else if (relayed == ' ' && (e = Prefixes.relay(b, p)) > 0) {
        // Read before a compose name: "ERROR | stderr | " would pass for two.
        relayed = s.charAt(p);
        p = e;
      } else if ((e = Prefixes.compose(b, p)) > 0 && !s.startsWith("Loading", p)) {
        p = e;
      } else {
        break;
      }
    }

    char severity = ' ';
    boolean structured = false;
    String source = null;
    int msg = p;
    Prefixes.Header h = Prefixes.glog(s, b, p);
    if (h != null) {
      severity = h.severity();
      structured = true;
      source = h.source();
      char clock = time == null ? ParsedLine.GLOG : ParsedLine.OUTER;
      time = time == null ? h.time() : time;
      msg = h.msgStart();
      if (screen && severity == 'I' && !NoiseScreen.mayMatter(s, at(s, msg, '"') ? msg + 1 : msg)) {
        return new ParsedLine(number, time, severity, true, NOISE, List.of(), clock);
      }
      return finish(number, time, severity, true, unquote(s.substring(msg)), source, clock);
    }
    int afterProcess = Prefixes.process(b, p);
    h = Prefixes.vllm(b, afterProcess);
    if (h != null) {
      severity = h.severity() == 'W' ? 'W' : h.severity() == 'C' ? 'C' : h.severity();
      char clock = time == null ? ParsedLine.VLLM : ParsedLine.OUTER;
      time = time == null ? h.time() : time;
      msg = h.msgStart();
      if (screen && (severity == 'I' || severity == 'D') && !NoiseScreen.mayMatter(s, msg)) {
        return new ParsedLine(number, time, severity, true, NOISE, List.of(), clock);
      }
      return finish(number, time, severity, true, s.substring(msg), null, clock);
    }
    return headerless(number, s, b, p, afterProcess, time, relayed);
  }

  /** A line with neither a glog nor a vLLM header: uvicorn's, TensorRT-LLM's, a glued glog header, or plain text. */
  private static ParsedLine headerless(long number, String s, byte[] b, int p, int afterProcess, LineTime time,
                                       char relayed) {
    Prefixes.Header h;
    int u = Prefixes.uvicorn(b, afterProcess);
    if (u > 0) {
      return finish(number, time, s.charAt(afterProcess), true, s.substring(u), null);
    }
    Matcher m;
    // The region starts the expression's '^' at p: find(p) kept '^' at the line's start, so a
    // TensorRT-LLM line behind a Docker stamp or a viewer's column went unread.
    if (at(s, p, '[') && (m = TRTLLM.matcher(s).region(p, s.length())).lookingAt()) {
      char severity = m.group(1).charAt(0) == 'V' ? 'D' : m.group(1).charAt(0);
      return finish(number, time, severity, true, s.substring(m.end()), null);
    }
    // A glog header glued to something else (a shell prompt) is found by search, the slow way.
    if (s.indexOf("] ", p) > 0 && (m = GLOG.matcher(s)).find(p)) {
      h = Prefixes.glog(s, b, m.start(1));
      if (h != null) {
        return finish(number, time == null ? h.time() : time, h.severity(), true, unquote(s.substring(h.msgStart())),
            h.source(), time == null ? ParsedLine.GLOG : ParsedLine.OUTER);
      }
    }
    return finish(number, time, relayed, relayed != ' ', s.substring(afterProcess), null);
  }

  /** The message of a line the screen passed as noise: never read, so never built. */
  static final String NOISE = "";

  private static boolean at(String s, int i, char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private static ParsedLine finish(long number, LineTime time, char severity, boolean structured, String message,
                                   String source) {
    return finish(number, time, severity, structured, message, source, time == null ? ' ' : ParsedLine.OUTER);
  }

  private static ParsedLine finish(long number, LineTime time, char severity, boolean structured, String message,
                                   String source, char clock) {
    String msg = message.strip();
    return new ParsedLine(number, time, severity, structured, msg, MessageRules.read(msg, severity, source), clock);
  }

  /** Triton 2.40+ prints every message as a C-escaped, double-quoted string. */
  static String unquote(String msg) {
    String t = msg.strip();
    if (t.length() >= 1 && t.charAt(0) == '"') {
      int end = t.endsWith("\"") && t.length() >= 2 ? t.length() - 1 : t.length();
      String body = t.substring(1, end);
      if (body.indexOf('\\') < 0) {
        return body;
      }
      StringBuilder out = new StringBuilder(body.length());
      for (int i = 0; i < body.length(); i++) {
        char c = body.charAt(i);
        if (c == '\\' && i + 1 < body.length()) {
          char n = body.charAt(++i);
          switch (n) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case '"', '\\', '\'' -> out.append(n);
            default -> out.append('\\').append(n);
          }
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
    return t;
  }

}
