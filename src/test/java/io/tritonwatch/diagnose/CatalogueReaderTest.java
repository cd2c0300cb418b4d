package io.tritonwatch.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The small reader of diagnoses.yml reads it as a YAML library does, and refuses what it cannot. */
class CatalogueReaderTest {

  @Test
  void readsTheCatalogueAsSnakeYamlDoes() throws Exception {
    String text = Files.readString(Path.of("src/main/resources/diagnoses.yml"), StandardCharsets.UTF_8);
    Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    assertEquals(yaml, CatalogueReader.read(text));
  }

  @Test
  void refusesWhatItDoesNotKnowNamingTheLine() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CatalogueReader.read("failures:\n  - id: x\n    text: \"a\\nb\"\n"));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> CatalogueReader.read("failures:\n   - id: x\n"));
    assertThrows(IllegalStateException.class, () -> CatalogueReader.read("failures:\n  - id: \"open\n"));
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> CatalogueReader.read("failures:\n  - id: x\n    fix: a\n    fix: b\n"));
    assertTrue(twice.getMessage().contains("line 4: fix given twice"), twice.getMessage());
    IllegalStateException section = assertThrows(IllegalStateException.class,
        () -> CatalogueReader.read("failures: what each means\nfailures:\n  - id: x\n"));
    assertTrue(section.getMessage().contains("line 1: failures must start a list"), section.getMessage());
  }
}
