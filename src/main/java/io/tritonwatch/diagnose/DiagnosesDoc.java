package io.tritonwatch.diagnose;

/** The catalogue written for users: docs/diagnoses.md, checked against diagnoses.yml by a test. */
public final class DiagnosesDoc {

  private DiagnosesDoc() {}

  public static String render(Catalogue c) {
    StringBuilder b = new StringBuilder();
    b.append("# Diagnoses\n\n");
    b.append("What tritonwatch says when it recognises a failure, and what it advises. Each entry comes from\n");
    b.append("`src/main/resources/diagnoses.yml` (this page is generated from it; a test keeps the two equal).\n");
    b.append("Numbers in braces are filled from the log. A failure no entry matches is reported as\n");
    b.append("\"no known diagnosis\" and counted in `tritonwatch_failures_without_diagnosis_total`.\n\n");
    b.append("## Failures\n\n");
    for (Entry e : c.failures) {
      entry(b, e);
      if (!e.classes().isEmpty()) {
        b.append("- Error class: ").append(String.join(", ", e.classes())).append('\n');
      }
      b.append("- Seen as: `").append(e.examples().get(0).text().replace("`", "'")).append("`\n\n");
    }
    b.append("## Settings that change the advice\n\n");
    b.append("Told beside a failure's own diagnosis when the server runs with the setting.\n\n");
    for (Entry e : c.settings) {
      entry(b, e);
      b.append("- Applies when: ").append(e.figure()).append(" is ").append(e.equals()).append('\n');
      b.append("- Seen as: `").append(e.examples().get(0).text().replace("`", "'")).append("`\n\n");
    }
    b.append("## Warnings\n\n");
    for (Entry e : c.warnings) {
      entry(b, e);
      b.append('\n');
    }
    return b.toString();
  }

  private static void entry(StringBuilder b, Entry e) {
    b.append("### `").append(e.id()).append("`\n\n");
    b.append(e.diagnosis()).append("\n\n");
    b.append("- What to do: ").append(e.fix()).append('\n');
    if (e.link() != null) {
      b.append("- Documentation: ").append(e.link()).append('\n');
    }
  }
}
