package io.tritonwatch.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the few YAML shapes diagnoses.yml uses (sections of list items whose values are quoted
 * strings, plain scalars, [a, b] lists or lists of text/source items) into the maps a YAML
 * library would give. A general YAML library's loading was much of every short analyze; this
 * is next to nothing. {@code CatalogueReaderTest} holds it to snakeyaml on the real file.
 */
final class CatalogueReader {

  private CatalogueReader() {}

  static Map<String, Object> read(String text) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> section = null;
    Map<String, Object> item = null;
    List<Map<String, Object>> sub = null;
    Map<String, Object> subItem = null;
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = raw.stripTrailing();
      String t = line.stripLeading();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int indent = line.length() - t.length();
      boolean dash = t.startsWith("- ");
      String body = dash ? t.substring(2) : t;
      int colon = keyEnd(body, n);
      String key = body.substring(0, colon);
      String rest = body.substring(colon + 1).strip();
      if (indent == 0) {
        if (!rest.isEmpty()) {
          throw new IllegalStateException("diagnoses.yml line " + n + ": " + key + " must start a list");
        }
        section = new ArrayList<>();
        put(root, key, section, n);
      } else if (indent == 2 && dash) {
        item = new LinkedHashMap<>();
        put(item, key, value(rest, n), n);
        need(section, n).add(item);
      } else if (indent == 4 && !dash) {
        if (rest.isEmpty()) {
          sub = new ArrayList<>();
          put(need(item, n), key, sub, n);
        } else {
          put(need(item, n), key, value(rest, n), n);
        }
      } else if (indent == 6 && dash) {
        subItem = new LinkedHashMap<>();
        put(subItem, key, value(rest, n), n);
        need(sub, n).add(subItem);
      } else if (indent == 8 && !dash) {
        put(need(subItem, n), key, value(rest, n), n);
      } else {
        throw new IllegalStateException("diagnoses.yml line " + n + ": unexpected indentation");
      }
    }
    return root;
  }

  private static void put(Map<String, Object> map, String key, Object value, int n) {
    if (map.putIfAbsent(key, value) != null) {
      throw new IllegalStateException("diagnoses.yml line " + n + ": " + key + " given twice");
    }
  }

  private static <T> T need(T parent, int n) {
    if (parent == null) {
      throw new IllegalStateException("diagnoses.yml line " + n + ": no entry to belong to");
    }
    return parent;
  }

  private static int keyEnd(String body, int n) {
    int colon = body.indexOf(':');
    if (colon <= 0 || !all(body, 0, colon, "abcdefghijklmnopqrstuvwxyz_")) {
      throw new IllegalStateException("diagnoses.yml line " + n + ": want key: value");
    }
    return colon;
  }

  private static Object value(String v, int n) {
    if (v.startsWith("\"")) {
      return quoted(v, n);
    }
    if (v.startsWith("[") && v.endsWith("]")) {
      List<Object> list = new ArrayList<>();
      for (String part : v.substring(1, v.length() - 1).split(",")) {
        if (!part.isBlank()) {
          list.add(plain(part.strip()));
        }
      }
      return list;
    }
    return plain(v);
  }

  /** No regular expressions here: String.matches compiles one per call, hundreds at start. */
  private static Object plain(String v) {
    int sign = v.startsWith("-") ? 1 : 0;
    int dot = v.indexOf('.');
    if (dot < 0 && v.length() > sign && all(v, sign, v.length(), "0123456789")) {
      return Integer.valueOf(v);
    }
    if (dot > sign && dot < v.length() - 1 && all(v, sign, dot, "0123456789")
        && all(v, dot + 1, v.length(), "0123456789")) {
      return Double.valueOf(v);
    }
    return v;
  }

  private static boolean all(String s, int from, int to, String allowed) {
    for (int i = from; i < to; i++) {
      if (allowed.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** A double-quoted scalar: backslash escapes a quote, a backslash, or nothing else here. */
  private static String quoted(String v, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) {
        char e = v.charAt(++i);
        if (e != '\\' && e != '"') {
          throw new IllegalStateException("diagnoses.yml line " + n + ": unsupported escape \\" + e);
        }
        out.append(e);
      } else if (c == '"') {
        if (i != v.length() - 1) {
          throw new IllegalStateException("diagnoses.yml line " + n + ": text after a closing quote");
        }
        return out.toString();
      } else {
        out.append(c);
      }
    }
    throw new IllegalStateException("diagnoses.yml line " + n + ": unclosed quote");
  }
}
