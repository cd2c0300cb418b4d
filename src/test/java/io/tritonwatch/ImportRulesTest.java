package io.tritonwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering ARCHITECTURE.md states, checked on the sources: each package refers only to the
 * packages its row says it knows, and each library only from the package named for it.
 * Imports and fully qualified names count; comments and string literals do not.
 */
class ImportRulesTest {

  private static final Path SRC = Path.of("src/main/java/io/tritonwatch");
  private static final Pattern TICKED = Pattern.compile("`([a-z.]+)`");

  /** Package to the packages it may know (null: everything), from the first table. */
  private static Map<String, Set<String>> packageRules(String doc) {
    Map<String, Set<String>> out = new HashMap<>();
    for (String line : doc.split("\n")) {
      String[] cells = line.split("\\|");
      if (cells.length < 4 || !cells[1].strip().matches("`[a-z]+`")) {
        continue;
      }
      String pkg = cells[1].strip().replace("`", "");
      String knows = cells[3];
      if (knows.contains("everything")) {
        out.put(pkg, null);
        continue;
      }
      Set<String> allowed = new HashSet<>();
      Matcher m = TICKED.matcher(knows);
      while (m.find()) {
        allowed.add(m.group(1));
      }
      out.put(pkg, allowed);
    }
    return out;
  }

  /** Library prefix to the one package that may use it, from the second table. */
  private static Map<String, String> libraryRules(String doc) {
    Map<String, String> out = new HashMap<>();
    int at = doc.indexOf("| library | only in |");
    for (String line : doc.substring(at).split("\n")) {
      String[] cells = line.split("\\|");
      if (cells.length < 3 || !cells[1].contains("`")) {
        if (!out.isEmpty() && !line.startsWith("|")) {
          break;
        }
        continue;
      }
      String only = cells[2].strip().replace("`", "");
      Matcher m = TICKED.matcher(cells[1]);
      while (m.find()) {
        out.put(m.group(1), only);
      }
    }
    return out;
  }

  /** The code without comments and string literals. */
  private static String code(Path f) throws Exception {
    String s = Files.readString(f);
    s = s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    s = s.replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"").replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*+\"", "\"\"");
    return s;
  }

  @Test
  void everyPackageKnowsOnlyWhatArchitectureMdSays() throws Exception {
    String doc = Files.readString(Path.of("ARCHITECTURE.md"));
    Map<String, Set<String>> rules = packageRules(doc);
    Map<String, String> libraries = libraryRules(doc);
    assertTrue(libraries.keySet().containsAll(List.of("com.github.dockerjava", "io.micrometer", "org.sqlite")),
        "the library table: " + libraries);
    List<String> broken = new ArrayList<>();
    Set<String> packages = new HashSet<>();
    try (Stream<Path> files = Files.walk(SRC)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = SRC.relativize(f).getName(0).toString();
        packages.add(pkg);
        if (!rules.containsKey(pkg)) {
          broken.add(pkg + ": no row in ARCHITECTURE.md");
          continue;
        }
        String code = code(f);
        Set<String> allowed = rules.get(pkg);
        Matcher m = Pattern.compile("io\\.tritonwatch\\.([a-z]+)\\.").matcher(code);
        while (allowed != null && m.find()) {
          String used = m.group(1);
          if (!used.equals(pkg) && !allowed.contains(used)) {
            broken.add(f.getFileName() + " (" + pkg + ") uses " + used);
          }
        }
        for (Map.Entry<String, String> lib : libraries.entrySet()) {
          if (Pattern.compile("\\b" + Pattern.quote(lib.getKey()) + "\\.").matcher(code).find()
              && !pkg.equals(lib.getValue())) {
            broken.add(f.getFileName() + " (" + pkg + ") uses " + lib.getKey() + ", which only " + lib.getValue() + " may");
          }
        }
      }
    }
    assertEquals(List.of(), broken, "what ARCHITECTURE.md forbids");
    Set<String> stale = new HashSet<>(rules.keySet());
    stale.removeAll(packages);
    assertEquals(Set.of(), stale, "rows of ARCHITECTURE.md for packages that do not exist");
  }
}
