package io.tritonwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Small files with one job each: no main source file over 400 lines, no method over 80. A
 * newcomer reads a file whole; a method longer than a screen or two is doing several things.
 */
class SourceShapeTest {

  static final int MAX_FILE_LINES = 400;
  static final int MAX_METHOD_LINES = 80;

  private static final Pattern TYPE_HEADER = Pattern.compile("\\b(class|interface|enum|record)\\s+\\w+");
  private static final Pattern ANONYMOUS = Pattern.compile("new\\s+[\\w.<>,? ]+\\([^()]*(\\([^()]*\\)[^()]*)*\\)\\s*$");
  private static final Pattern THROWS = Pattern.compile("\\)\\s*throws\\s+[\\w., ]+$");

  private enum Kind { TYPE, METHOD, CODE }

  /** A method found in a source: its name line and length. */
  record Method(String file, int line, int lines, String header) {}

  @Test
  void noFileOver400LinesAndNoMethodOver80() throws IOException {
    List<String> tooLong = new ArrayList<>();
    List<Method> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        long lines = text.lines().count();
        if (lines > MAX_FILE_LINES) {
          tooLong.add(p.getFileName() + ": " + lines + " lines");
        }
        for (Method m : methods(p.getFileName().toString(), text)) {
          all.add(m);
          if (m.lines() > MAX_METHOD_LINES) {
            tooLong.add(m.file() + ":" + m.line() + " " + m.header() + ": " + m.lines() + " lines");
          }
        }
      }
    }
    assertTrue(all.size() > 500, "methods found: " + all.size());
    assertEquals(List.of(), tooLong);
  }

  @Test
  void theMeasureSeesMethodsAndNotBlocks() {
    String src = """
        class A {
          private static final Runnable R = new Runnable() {
            @Override
            public void run() {
              if (true) {
                x();
              }
            }
          };

          void b(int x) throws java.io.IOException {
            Runnable r = () -> {
              y();
            };
            int[] a = {1, 2};
          }

          record C(int z) {
            C {
              check();
            }
          }
        }
        """;
    List<Method> found = methods("A.java", src);
    assertEquals(List.of("@Override public void run(): 5", "void b(int x) throws java.io.IOException: 6", "C: 3"),
        found.stream().map(m -> m.header() + ": " + m.lines()).toList());
  }

  /** Methods (and constructors, initializers) with their length from the opening brace's line. */
  static List<Method> methods(String file, String source) {
    String s = blankLiterals(source);
    List<Method> out = new ArrayList<>();
    Deque<Kind> kinds = new ArrayDeque<>();
    Deque<int[]> starts = new ArrayDeque<>();
    Deque<String> headers = new ArrayDeque<>();
    int line = 1;
    int headerFrom = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
      } else if (c == ';') {
        headerFrom = i + 1;
      } else if (c == '{') {
        String header = s.substring(headerFrom, i).strip().replaceAll("\\s+", " ");
        Kind context = kinds.isEmpty() ? Kind.TYPE : kinds.peek();
        Kind kind;
        if (TYPE_HEADER.matcher(header).find() && !header.contains("->") && !header.endsWith("=")
            || ANONYMOUS.matcher(header).find()) {
          kind = Kind.TYPE;
        } else if (context == Kind.TYPE && !header.endsWith("=") && !header.endsWith("->")
            && (header.endsWith(")") || THROWS.matcher(header).find() || header.isEmpty() || header.equals("static")
                || header.matches("(?:[\\w@]+ )*\\w+"))) {
          kind = Kind.METHOD; // a method, a constructor (a record's compact one too) or an initializer
        } else {
          kind = Kind.CODE;
        }
        kinds.push(kind);
        starts.push(new int[] {line});
        headers.push(header);
        headerFrom = i + 1;
      } else if (c == '}') {
        Kind kind = kinds.pop();
        int start = starts.pop()[0];
        String header = headers.pop();
        if (kind == Kind.METHOD) {
          out.add(new Method(file, start, line - start + 1, header));
        }
        headerFrom = i + 1;
      }
    }
    return out;
  }

  /** Comments, strings, text blocks and character literals as spaces: their braces are not code. */
  static String blankLiterals(String s) {
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int end;
      if (s.startsWith("//", i)) {
        end = s.indexOf('\n', i);
        end = end < 0 ? s.length() : end;
      } else if (s.startsWith("/*", i)) {
        end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
      } else if (s.startsWith("\"\"\"", i)) {
        end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? s.length() : end + 3;
      } else if (c == '"' || c == '\'') {
        end = i + 1;
        while (end < s.length() && s.charAt(end) != c) {
          end += s.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(s.length(), end + 1);
      } else {
        b.append(c);
        i++;
        continue;
      }
      for (int k = i; k < end; k++) {
        b.append(s.charAt(k) == '\n' ? '\n' : ' ');
      }
      i = end;
    }
    return b.toString();
  }
}
