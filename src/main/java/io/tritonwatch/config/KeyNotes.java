package io.tritonwatch.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each key means, in the words of the comment above it in the shipped configuration
 * file: one text for the file, {@code watch --help} and the README, so they cannot drift apart.
 */
public final class KeyNotes {
  private KeyNotes() {}

  /** Key to the comment lines above it (joined), in the file's order; keys without one map to "". */
  public static Map<String, String> read() {
    Map<String, String> notes = new LinkedHashMap<>();
    try (InputStream in = KeyNotes.class.getResourceAsStream(ConfigLoader.SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException(ConfigLoader.SHIPPED + " is missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<String> comment = new ArrayList<>();
      String lastNote = null;
      String section = "";
      boolean header = true;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.strip();
        if (t.isEmpty()) {
          comment.clear();
          lastNote = null;
          header = false; // the file's own header ends at its first blank line
          continue;
        }
        if (t.startsWith("#")) {
          if (!header) {
            comment.add(t.replaceFirst("^#\\s?", ""));
          }
          continue;
        }
        int colon = t.indexOf(':');
        if (colon < 0 || t.startsWith("-")) {
          continue;
        }
        String name = t.substring(0, colon);
        boolean nested = line.startsWith(" ");
        String value = t.substring(colon + 1).strip();
        if (!nested && value.isEmpty()) {
          section = name;
          comment.clear();
          continue;
        }
        String key = nested ? section + "." + name : name;
        String note = String.join(" ", comment);
        if (note.isEmpty() && lastNote != null && !key.startsWith("stuck.")) {
          note = lastNote; // a key right under another shares its comment (min and max)
        }
        if (ConfigLoader.DEFAULTS.containsKey(key) && !note.isEmpty()) {
          notes.put(key, note);
        }
        lastNote = note.isEmpty() ? null : note;
        comment.clear();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    for (String key : ConfigLoader.DEFAULTS.keySet()) {
      if (!notes.containsKey(key) && key.startsWith("stuck.")) {
        notes.put(key, "Stuck threshold of this stage (seconds); empty: stuck.default_seconds.");
      }
      notes.putIfAbsent(key, "");
    }
    return notes;
  }
}
