package io.tritonwatch.parse;

/**
 * Says, from its first characters, whether an info-level message could mean anything to the
 * tracker. On a busy server 95% of lines are per-request chatter; this lets them pass with a
 * couple of character comparisons instead of every rule. It must never hide a line a rule
 * would read: {@code NoiseScreenTest} runs every real log line through both to prove it.
 * Warnings, errors and lines without a log header always go to the rules.
 */
final class NoiseScreen {

  /** Message starts of every rule that can match an info-level line, by first character. */
  private static final String[][] BY_FIRST = new String[128][];

  /** Every info-level rule's prefixes: the table refuses a rule that could match without one. */
  private static final String[] PREFIXES = RuleTable.screenPrefixes().toArray(new String[0]);

  static {
    java.util.Map<Character, java.util.List<String>> m = new java.util.HashMap<>();
    for (String p : PREFIXES) {
      m.computeIfAbsent(p.charAt(0), k -> new java.util.ArrayList<>()).add(p);
    }
    for (java.util.Map.Entry<Character, java.util.List<String>> e : m.entrySet()) {
      BY_FIRST[e.getKey()] = e.getValue().toArray(String[]::new);
    }
  }

  private NoiseScreen() {}

  static String[] prefixes() {
    return PREFIXES.clone();
  }

  /** @param from where the message starts in {@code s} (after an opening quote) */
  static boolean mayMatter(String s, int from) {
    if (from >= s.length()) {
      return true; // an empty message: Triton's table headers hang off one
    }
    char c = s.charAt(from);
    if (c >= 128) {
      return true;
    }
    String[] candidates = BY_FIRST[c];
    if (candidates == null) {
      // Tables, banners and anything odd go to the rules.
      return !Character.isLetter(c) && c != '"' && c != '[' && c != '(';
    }
    for (String p : candidates) {
      if (s.startsWith(p, from)) {
        return true;
      }
    }
    return false;
  }
}
