package io.tritonwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What build this is: the version and build date from the jar manifest, and the git revision
 * the build was made from. The build copies the repository's HEAD and refs into the jar (no
 * plugin, no network): they are resolved here, and a build outside a git checkout says
 * "unknown".
 */
final class Version {
  private Version() {}

  static String get() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** "0.1.0 (revision 1a2b3c4d5e6f, built 2026-12-05T05:20:00Z)". */
  static String full() {
    return get() + " (revision " + revision() + ", built " + buildDate() + ")";
  }

  static String buildDate() {
    String d = manifest("Build-Date");
    return d == null ? "unknown" : d;
  }

  static String revision() {
    String head = resource("HEAD");
    if (head == null) {
      return "unknown";
    }
    head = head.strip();
    if (!head.startsWith("ref: ")) {
      return shortId(head);
    }
    String ref = head.substring(5).strip();
    String loose = resource(ref);
    if (loose != null) {
      return shortId(loose.strip());
    }
    String packed = resource("packed-refs");
    if (packed != null) {
      for (String line : packed.split("\n")) {
        if (line.endsWith(" " + ref)) {
          return shortId(line.substring(0, line.indexOf(' ')));
        }
      }
    }
    return "unknown";
  }

  private static String shortId(String id) {
    return id.length() >= 12 && id.matches("[0-9a-f]+") ? id.substring(0, 12) : "unknown";
  }

  private static String resource(String name) {
    try (InputStream in = Version.class.getResourceAsStream("/build/git/" + name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static String manifest(String key) {
    try (InputStream in = Version.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
      if (in == null) {
        return null;
      }
      java.util.jar.Manifest m = new java.util.jar.Manifest(in);
      return m.getMainAttributes().getValue(key);
    } catch (IOException e) {
      return null;
    }
  }
}
