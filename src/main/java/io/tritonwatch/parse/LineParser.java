package io.tritonwatch.parse;

import java.time.ZoneOffset;
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

  private static final Pattern DOCKER_TS = Pattern.compile(
      "^(\\d{4})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d{1,9}))?(Z|[+-]\\d\\d:\\d\\d) ");
  private static final Pattern VIEWER_TS = Pattern.compile(
      "^(\\d{4})-(\\d\\d)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)(?:[.,](\\d{1,9}))?(?: \\| ?| )");
  private static final Pattern COMPOSE = Pattern.compile("^[A-Za-z0-9][\\w.-]*\\s+\\| ?");
  private static final Pattern GLOG = Pattern.compile(
      "(?:^|\\s)([IWEF])(\\d\\d)(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{1,9})\\s+\\d+ "
          + "([\\w.+\\-/]+):\\d+\\]\\s?");
  private static final Pattern VLLM = Pattern.compile(
      "^(?:\\([\\w.\\-]+ pid=\\d+\\) )?(INFO|WARNING|ERROR|DEBUG|CRITICAL|WARN) "
          + "(\\d\\d)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d+)? "
          + "(?:\\[[\\w.\\-/]+:\\d+\\] ?|[\\w.\\-/]+:\\d+\\] ?)?");
  private static final Pattern UVICORN = Pattern.compile(
      "^(?:\\([\\w.\\-]+ pid=\\d+\\) )?(INFO|WARNING|ERROR|DEBUG|CRITICAL):\\s+");
  private static final Pattern TRTLLM = Pattern.compile(
      "^\\[(?:TensorRT-LLM|TM|TRT-LLM)\\](?:\\[[^\\]]*\\])?\\[(INFO|WARNING|ERROR|DEBUG|VERBOSE)\\] ?");
  private static final Pattern PROCESS = Pattern.compile("^\\([\\w.\\-]+ pid=\\d+\\) ");

  private LineParser() {}

  public static ParsedLine parse(long number, String raw) {
    try {
      return parseUnsafe(number, raw);
    } catch (RuntimeException e) {
      // A parser bug must never cost the follower its stream: the line is simply unread.
      return new ParsedLine(number, null, ' ', false, "", List.of());
    }
  }

  private static ParsedLine parseUnsafe(long number, String raw) {
    String s = raw.length() > MAX_MESSAGE ? raw.substring(0, MAX_MESSAGE) : raw;
    s = LineCleaner.clean(s);
    LineTime time = null;
    boolean quoted = false;

    for (int guard = 0; guard < 4; guard++) {
      Matcher m;
      if (s.length() > 20 && s.charAt(4) == '-' && (m = DOCKER_TS.matcher(s)).lookingAt()) {
        if (time == null) {
          time = fullTime(m, offsetOf(m.group(8)));
        }
        s = s.substring(m.end());
      } else if (s.length() > 19 && s.charAt(4) == '-' && (m = VIEWER_TS.matcher(s)).lookingAt()) {
        if (time == null) {
          time = fullTime(m, null);
        }
        s = s.substring(m.end());
      } else if (s.startsWith("> ")) {
        quoted = true;
        s = s.substring(2);
      } else if (s.indexOf('|') > 0 && (m = COMPOSE.matcher(s)).lookingAt()
          && !s.startsWith("Loading")) {
        s = s.substring(m.end());
      } else {
        break;
      }
    }
    if (quoted) {
      s = s.replace("**", "");
    }

    char severity = ' ';
    boolean structured = false;
    String message = s;
    String source = null;
    Matcher m;
    if (s.indexOf(']') > 0 && (m = GLOG.matcher(s)).find()) {
      severity = m.group(1).charAt(0);
      if (time == null) {
        time = new LineTime(0, num(m.group(2)), num(m.group(3)), num(m.group(4)), num(m.group(5)),
            num(m.group(6)), nanos(m.group(7)), null);
      }
      structured = true;
      source = m.group(8);
      message = unquote(s.substring(m.end()));
    } else if (s.length() > 15 && (m = VLLM.matcher(s)).lookingAt()) {
      severity = m.group(1).charAt(0);
      if (time == null) {
        time = new LineTime(0, num(m.group(2)), num(m.group(3)), num(m.group(4)), num(m.group(5)),
            num(m.group(6)), 0, null);
      }
      structured = true;
      message = s.substring(m.end());
    } else if ((m = UVICORN.matcher(s)).lookingAt()) {
      severity = m.group(1).charAt(0);
      structured = true;
      message = s.substring(m.end());
    } else if (s.startsWith("[") && (m = TRTLLM.matcher(s)).lookingAt()) {
      severity = m.group(1).charAt(0) == 'V' ? 'D' : m.group(1).charAt(0);
      structured = true;
      message = s.substring(m.end());
    } else if ((m = PROCESS.matcher(s)).lookingAt()) {
      message = s.substring(m.end());
    }
    message = message.strip();
    List<TritonEvent> events = MessageRules.read(message, severity, source);
    return new ParsedLine(number, time, severity, structured, message, events);
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

  private static LineTime fullTime(Matcher m, ZoneOffset offset) {
    return new LineTime(num(m.group(1)), num(m.group(2)), num(m.group(3)), num(m.group(4)),
        num(m.group(5)), num(m.group(6)), nanos(m.group(7)), offset);
  }

  private static ZoneOffset offsetOf(String z) {
    return "Z".equals(z) ? ZoneOffset.UTC : ZoneOffset.of(z);
  }

  private static int num(String s) {
    return Integer.parseInt(s);
  }

  private static int nanos(String frac) {
    if (frac == null) {
      return 0;
    }
    int v = Integer.parseInt(frac);
    for (int i = frac.length(); i < 9; i++) {
      v *= 10;
    }
    return v;
  }
}
