package io.tritonwatch.diagnose;

/**
 * What a failure means and what to change, with the log's own numbers filled in.
 *
 * @param id a stable slug (a metric label and an alert annotation carry it)
 * @param link upstream documentation, or null
 */
public record Diagnosis(String id, String text, String fix, String link) {

  /** The honest answer for a failure no entry knows. */
  public static final Diagnosis NONE = new Diagnosis("none", "no known diagnosis", null, null);
}
