package io.tritonwatch.diagnose;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the catalogue: when it applies and the text it gives.
 *
 * @param classes error classes it applies to (empty: any)
 * @param text the expression a failure's (or a warning's) text must contain, or null
 * @param warning the warning class a warning entry follows, or null
 * @param figure the figure a warning entry tests, or null
 * @param below the entry applies while that figure is below this
 * @param equals a setting entry applies when that figure has this value
 */
record Entry(String id, Set<String> classes, Pattern text, String warning, String figure, Double below, String equals,
             String diagnosis, String fix, String link, List<Example> examples, List<Example> counterexamples) {

  /** A real line the entry must (or must not) match, with where it comes from. */
  record Example(String text, String source) {}
}
