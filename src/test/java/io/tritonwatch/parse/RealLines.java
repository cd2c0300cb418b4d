package io.tritonwatch.parse;

import io.tritonwatch.input.TextLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every line of every .log under a test resources folder, decoded as analyze decodes them. */
final class RealLines {
  private RealLines() {}

  static List<String> in(String... folders) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String folder : folders) {
      try (Stream<Path> files = Files.list(Path.of(folder))) {
        for (Path p : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
          try (InputStream in = Files.newInputStream(p)) {
            TextLines.read(in, TextLines.DEFAULT_MAX_CHARS, lines::add);
          }
        }
      }
    }
    return lines;
  }
}
