package io.tritonwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Help texts agree with what the commands accept: every flag a help text shows is accepted,
 * every flag a command's code knows is in its help, and the README shows each synopsis.
 */
class CommandLineTest {

  private record Ran(int code, String out, String err) {}

  private static Ran run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?=[\\s,=\\]|]|$)");
  private static final Pattern LITERAL = Pattern.compile("\"(--?[a-z][a-z0-9-]*)=?\"");

  private static Set<String> flagsIn(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = FLAG.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static final Map<String, String> SOURCES = Map.of(
      "analyze", "AnalyzeCommand.java", "watch", "WatchCommand.java", "demo", "DemoCommand.java",
      "healthcheck", "HealthCheck.java");

  /** Flags the command's code names as string literals, and for watch every configuration key's flag. */
  private static Set<String> accepted(String command) throws Exception {
    String src = Files.readString(Path.of("src/main/java/io/tritonwatch/cli", SOURCES.get(command)));
    Set<String> out = new TreeSet<>();
    Matcher m = LITERAL.matcher(src);
    while (m.find()) {
      out.add(m.group(1));
    }
    if (command.equals("watch")) {
      out.add("--config");
      for (String key : ConfigLoader.defaults().keySet()) {
        out.add("--" + ConfigLoader.flagName(key));
      }
    }
    return out;
  }

  /** The command run with this flag and a value that stops it before it serves anything. */
  private static Ran tryFlag(String command, String flag) {
    return switch (command) {
      case "analyze" -> flag.matches("-f|--format") ? run("analyze", flag, "json", "/no/such/log")
          : run("analyze", flag);
      case "demo" -> flag.equals("--listen") ? run("demo", flag, "nowhere")
          : flag.equals("--speed") ? run("demo", flag, "0") : run("demo", flag);
      case "healthcheck" -> flag.equals("--file") ? run("healthcheck", flag, "/no/such/file")
          : flag.equals("--listen") ? run("healthcheck", flag, "127.0.0.1:1") : run("healthcheck", flag);
      default -> flag.matches("-h|--help|--version") ? run("watch", flag)
          // a bad log level after the flag stops the start once every flag is read
          : run("watch", flag, flag.equals("--config") ? "/no/such.yml" : "x",
              flag.equals("--log-level") ? "--listen" : "--log-level", "nonsense");
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"analyze", "watch", "demo", "healthcheck"})
  void everyFlagInTheHelpIsAcceptedAndEveryAcceptedFlagIsInTheHelp(String command) throws Exception {
    Ran help = run(command, "--help");
    assertEquals(0, help.code());
    Set<String> documented = flagsIn(help.out());
    Set<String> accepted = accepted(command);
    Set<String> undocumented = new TreeSet<>(accepted);
    undocumented.removeAll(documented);
    assertEquals(Set.of(), undocumented, command + " accepts flags its help does not show");
    List<String> refused = new ArrayList<>();
    for (String flag : documented) {
      Ran r = tryFlag(command, flag);
      if (r.code() == Main.USAGE && (r.err().contains("unknown") || r.err().contains("unexpected"))) {
        refused.add(flag + ": " + r.err().lines().findFirst().orElse(""));
      }
    }
    assertEquals(List.of(), refused, command + " refuses flags its help shows");
    Ran bogus = run(command, "--no-such-flag", "x");
    assertEquals(Main.USAGE, bogus.code(), "an unknown flag is a usage error: " + bogus.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"analyze", "watch", "demo", "healthcheck"})
  void theReadmeShowsEachSynopsis(String command) throws Exception {
    String synopsis = run(command, "--help").out().lines().findFirst().orElse("").replaceFirst("^Usage: ", "");
    assertTrue(synopsis.startsWith("tritonwatch " + command), synopsis);
    assertTrue(Files.readString(Path.of("README.md")).contains(synopsis), "README lacks: " + synopsis);
  }

  @org.junit.jupiter.api.Test
  void watchHelpShowsEveryKeysDefaultAndMeaning() {
    String help = run("watch", "--help").out();
    for (Map.Entry<String, String> k : ConfigLoader.defaults().entrySet()) {
      String d = k.getValue().isEmpty() ? "none" : k.getValue().replace("\n", ",");
      assertTrue(help.contains("--" + ConfigLoader.flagName(k.getKey()) + " VALUE   [" + d + "]"),
          k.getKey() + " with its default " + d);
      assertTrue(help.contains(ConfigLoader.envName(k.getKey())), k.getKey());
    }
    Matcher noted = Pattern.compile("\\n  --([a-z-]+) VALUE[^\\n]*\\n[^\\n]*\\n {6}\\S").matcher(help);
    int withText = 0;
    while (noted.find()) {
      withText++;
    }
    assertEquals(ConfigLoader.defaults().size(), withText, "every key has a line saying what it is");
  }

  @org.junit.jupiter.api.Test
  void analyzeHelpNamesEveryFormatItTakes() {
    String help = run("analyze", "--help").out();
    for (String f : List.of("text", "json", "html")) {
      assertTrue(help.contains(f + ":"), f);
      assertNotEquals(Main.USAGE, run("analyze", "--format", f, "/no/such/log").code(), f);
    }
    assertFalse(help.contains("--format text|json "), "the format list is whole");
  }
}
