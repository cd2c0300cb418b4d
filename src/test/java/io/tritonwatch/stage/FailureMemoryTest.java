package io.tritonwatch.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.parse.LogLine;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's failure is remembered across restarts until the model is READY again. */
class FailureMemoryTest {

  private static StartupTracker read(String log) throws Exception {
    StartupTracker t = new StartupTracker(2024);
    long[] n = {0};
    try (InputStream in = Files.newInputStream(Path.of("src/test/resources/logs", log))) {
      io.tritonwatch.input.TextLines.read(in, io.tritonwatch.input.TextLines.DEFAULT_MAX_CHARS,
          line -> io.tritonwatch.Track.line(t, new LogLine(++n[0], line, null)));
    }
    return t;
  }

  @Test
  void aCrashLoopKeepsTheFailureWhileTheNextStartUpIsLoading() throws Exception {
    // 007: three start-ups fail on glm_ocr, the fourth is still loading it when the log ends.
    StartupSummary s = read("007-python-stub-init-fail-compose-utf16.log").summary();
    assertEquals(Outcome.INCOMPLETE, s.outcome());
    assertEquals(ModelState.LOADING, s.models().get(0).state(), "the latest start-up alone shows a fresh LOADING");
    assertEquals(1, s.rememberedFailures().size(), s.rememberedFailures().toString());
    RememberedFailure f = s.rememberedFailures().get(0);
    assertEquals("glm_ocr", f.model());
    assertEquals("1", f.version());
    assertEquals(3, f.startup());
    assertEquals("model_load_failed", f.errorClass());
    assertTrue(f.reason().contains("Failed to initialize real GLM model"), f.reason());
  }

  private final StartupTracker t = new StartupTracker(2024);
  private long n;

  private StartupSummary feed(String... lines) {
    for (String l : lines) {
      io.tritonwatch.Track.line(t, new LogLine(++n, l, null));
    }
    return t.summary();
  }

  private static final String BANNER = "== Triton Inference Server ==";

  @Test
  void aReadyModelIsCuredAndAnotherFailureStays() {
    feed(BANNER,
        "I0720 11:04:26.000000 1 model_lifecycle.cc:473] loading: a:1",
        "I0720 11:04:26.000000 1 model_lifecycle.cc:473] loading: b:1",
        "E0720 11:04:30.000000 1 model_lifecycle.cc:621] failed to load 'a' version 1: Internal: CUDA out of memory",
        "E0720 11:04:30.100000 1 model_lifecycle.cc:621] failed to load 'b' version 1: Invalid argument: bad config",
        "error: creating server: Internal - failed to load all models");
    StartupSummary s = feed(BANNER,
        "I0720 11:06:26.000000 1 model_lifecycle.cc:473] loading: a:1",
        "I0720 11:06:27.000000 1 model_lifecycle.cc:849] successfully loaded 'a' version 1");
    assertEquals(2, s.runs().size());
    assertEquals(1, s.rememberedFailures().size(), "a is READY again, b has not loaded since");
    RememberedFailure b = s.rememberedFailures().get(0);
    assertEquals("b", b.model());
    assertEquals("config", b.errorClass());
    assertEquals(1, b.startup());
    assertEquals(Instant.parse("2024-07-20T11:04:30.100Z"), b.at());
  }

  @Test
  void anotherVersionReadyInALaterStartUpCuresTheModel() throws Exception {
    // 001: classnet v1's plan fails in the first start-up; the later ones load only v2, READY.
    StartupSummary s = read("001-trt-tensorrt-plan-fail-then-restarts.log").summary();
    assertEquals(5, s.runs().size());
    assertEquals(List.of(), s.rememberedFailures(), "classnet serves again (v2)");
  }
}
