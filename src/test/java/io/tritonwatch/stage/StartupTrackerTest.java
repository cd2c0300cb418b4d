package io.tritonwatch.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.parse.LogLine;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Transitions of the start-up state machine, fed with real lines one at a time. */
class StartupTrackerTest {

  private final StartupTracker t = new StartupTracker(2024);
  private long n;

  private StartupSummary feed(String... lines) {
    for (String l : lines) {
      io.tritonwatch.Track.line(t, new LogLine(++n, l, null));
    }
    return t.summary();
  }

  private static final String BANNER = "== Triton Inference Server ==";
  private static final String LOADING = "I0720 11:04:26.667375 1 model_lifecycle.cc:473] \"loading: llama:1\"";
  private static final String LOADED = "I0720 11:05:19.636685 1 model_lifecycle.cc:849] \"successfully loaded 'llama'\"";
  private static final String GRPC = "I0720 11:05:19.697911 1 grpc_server.cc:2562] \"Started GRPCInferenceService at 0.0.0.0:8001\"";
  private static final String HTTP = "I0720 11:05:19.698321 1 http_server.cc:4832] \"Started HTTPService at 0.0.0.0:8000\"";

  @Test
  void aServerThatHangsInItsFirstStageSaysSinceWhen() {
    // The daemon stamps every line on arrival: a server that printed its banner and stopped
    // there is in server_init since that line, and the stuck alert has an elapsed time to judge.
    Instant at = Instant.parse("2026-12-05T03:00:00Z");
    io.tritonwatch.Track.line(t, new LogLine(1, BANNER, at));
    io.tritonwatch.Track.line(t, new LogLine(2, "Triton Server Version 2.36.0", at.plusSeconds(1)));
    StartupSummary s = t.summary();
    assertEquals(Stage.SERVER_INIT, s.stage());
    assertEquals(at, s.stageSince());
    assertEquals(1, s.stages().size());
    assertEquals(at, s.stages().get(0).start());
  }

  @Test
  void modelGoesLoadingThenReadyAndServerReadyAfterServices() {
    StartupSummary s = feed(BANNER, LOADING);
    assertEquals(Stage.MODEL_LOADING, s.stage());
    assertEquals(ModelState.LOADING, s.models().get(0).state());
    assertEquals(Outcome.INCOMPLETE, s.outcome());
    s = feed(LOADED);
    assertEquals(ModelState.READY, s.models().get(0).state());
    assertEquals(Outcome.INCOMPLETE, s.outcome(), "no service yet");
    s = feed(GRPC, HTTP);
    assertEquals(Outcome.READY, s.outcome());
    assertEquals(Stage.READY, s.stage());
    assertTrue(s.serving());
    assertEquals(53.031, s.startupSeconds(), 0.001);
  }

  @Test
  void failedLoadThenCreatingServerErrorIsFailed() {
    StartupSummary s = feed(BANNER, LOADING,
        "E0720 11:04:30.000000 1 model_lifecycle.cc:621] failed to load 'llama' version 1: Internal: CUDA out of memory",
        "I0720 11:04:30.100000 1 model_lifecycle.cc:757] failed to load 'llama'");
    assertEquals(ModelState.FAILED, s.models().get(0).state());
    assertEquals("Internal: CUDA out of memory", s.models().get(0).reason());
    assertEquals("oom", s.models().get(0).errorClass());
    assertEquals(Outcome.INCOMPLETE, s.outcome(), "Triton has not given up yet");
    s = feed("error: creating server: Internal - failed to load all models");
    assertEquals(Outcome.FAILED, s.outcome());
    assertEquals(Stage.FAILED, s.stage());
    assertFalse(s.serving());
  }

  @Test
  void servicesWithAFailedModelArePartial() {
    StartupSummary s = feed(BANNER, LOADING, "I0720 11:04:27.000000 1 model_lifecycle.cc:473] loading: other:1",
        "E0720 11:04:30.000000 1 model_lifecycle.cc:621] failed to load 'other' version 1: Internal: boom",
        LOADED, GRPC, HTTP);
    assertEquals(Outcome.PARTIAL, s.outcome());
  }

  @Test
  void aSecondBannerStartsANewRunAndKeepsTheFirst() {
    feed(BANNER, LOADING, LOADED, GRPC, HTTP);
    StartupSummary s = feed(BANNER, "I0720 12:00:00.000000 1 model_lifecycle.cc:473] \"loading: llama:1\"");
    assertEquals(2, s.runs().size());
    assertEquals(Outcome.READY, s.runs().get(0).outcome());
    assertEquals(Outcome.INCOMPLETE, s.outcome());
    assertEquals(Instant.parse("2024-07-20T12:00:00Z"), s.start(), "an unstamped banner does not start at the old run's end");
  }

  @Test
  void restartFromDockerStartsANewRun() {
    feed(BANNER, LOADING);
    t.restart(Instant.parse("2024-07-20T12:00:00Z"));
    StartupSummary s = feed(LOADING);
    assertEquals(2, s.runs().size());
  }

  @Test
  void shutdownAfterReadyKeepsStartUpReadingButStopsServing() {
    feed(BANNER, LOADING, LOADED, GRPC, HTTP);
    StartupSummary s = feed("I0720 12:00:00.000000 1 server.cc:305] Signal (15) received.",
        "I0720 12:00:01.000000 1 model_lifecycle.cc:579] successfully unloaded 'llama' version 1");
    assertEquals(Outcome.READY, s.outcome());
    assertFalse(s.serving());
    assertEquals(ModelState.READY, s.models().get(0).state());
    assertEquals(ModelState.UNLOADED, s.models().get(0).currentState());
  }

  @Test
  void standaloneVllmIsReadyAtApplicationStartup() {
    StartupSummary s = feed(
        "INFO 04-28 11:13:40 [api_server.py:596] vLLM API server version 0.19.1",
        "(EngineCore pid=1) INFO 04-28 11:13:47 [core.py:105] Initializing a V1 LLM engine (v0.19.1) with config: model='m/x', max_seq_len=4096",
        "(APIServer pid=1) INFO 04-28 11:14:20 [api_server.py:596] Starting vLLM server on http://0.0.0.0:8000");
    assertEquals(Outcome.INCOMPLETE, s.outcome(), "the HTTP line comes before the app is up");
    s = feed("(APIServer pid=1) INFO:     Application startup complete.");
    assertEquals(Outcome.READY, s.outcome());
    assertEquals("m/x", s.models().get(0).name());
    assertEquals(ModelState.READY, s.models().get(0).state());
  }

  @Test
  void standaloneVllmTracebackBeforeReadyIsFailed() {
    StartupSummary s = feed(
        "INFO 04-28 11:13:40 [api_server.py:596] vLLM API server version 0.19.1",
        "(EngineCore pid=1) INFO 04-28 11:13:47 [core.py:105] Initializing a V1 LLM engine (v0.19.1) with config: model='m/x'",
        "Traceback (most recent call last):",
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB");
    assertEquals(Outcome.FAILED, s.outcome());
    assertEquals("oom", s.errors().get(0).kind());
  }

  @Test
  void weightStageIsBackdatedByItsOwnDuration() {
    StartupSummary s = feed(
        "2025-07-20 14:04:35.285 | I0720 11:04:35.284983 1 python_be.cc:2289] \"TRITONBACKEND_ModelInstanceInitialize: llama_0 (GPU device 0)\"",
        "2025-07-20 14:05:08.144 | INFO 07-20 11:05:08 [default_loader.py:278] Loading weights took 18.04 seconds");
    StageSpan weights = s.stages().stream().filter(x -> x.stage() == Stage.WEIGHT_LOADING).findFirst().orElseThrow();
    assertEquals(Instant.parse("2025-07-20T14:04:50.104Z"), weights.start());
    assertNull(weights.seconds(), "still the current stage");
  }

  @Test
  void wrappedFailureReasonIsJoined() {
    StartupSummary s = feed(
        "E1212 03:05:00.535445 11684 model_lifecycle.cc:622] failed to load 'tensorrt_llm' version 1: Internal: syntax erro",
        "r while parsing value");
    assertEquals("Internal: syntax error while parsing value", s.models().get(0).reason());
  }

  @Test
  void modelTableWithWrappedUnavailableReason() {
    StartupSummary s = feed("I1002 10:50:24.000000 1 server.cc:662]",
        "+----------+---------+------------------------+",
        "| Model    | Version | Status                 |",
        "+----------+---------+------------------------+",
        "| classnet | 1       | UNAVAILABLE: Internal: |",
        "|          |         |  unable to load plan   |",
        "| classnet | 2       | READY                  |",
        "+----------+---------+------------------------+");
    assertEquals(2, s.models().size());
    assertEquals(ModelState.FAILED, s.models().get(0).state());
    assertEquals("Internal: unable to load plan", s.models().get(0).reason());
    assertEquals(ModelState.READY, s.models().get(1).state());
    assertEquals(Stage.MODEL_STATUS, s.stage());
  }

  @Test
  void exitBeforeReadyIsAFailureExitAfterReadyIsNot() {
    feed(BANNER, LOADING);
    t.exited(Instant.parse("2024-07-20T11:06:00Z"), 137L);
    StartupSummary s = t.summary();
    assertEquals(Outcome.FAILED, s.outcome());
    assertEquals("oom", s.errors().get(0).kind());
    assertTrue(s.errors().get(0).text().contains("code 137"));

    StartupTracker ready = new StartupTracker(2024);
    for (String l : new String[] {BANNER, LOADING, LOADED, GRPC, HTTP}) {
      io.tritonwatch.Track.line(ready, new LogLine(1, l, null));
    }
    ready.exited(Instant.parse("2024-07-20T12:00:00Z"), 0L);
    assertEquals(Outcome.READY, ready.summary().outcome());
  }
}
