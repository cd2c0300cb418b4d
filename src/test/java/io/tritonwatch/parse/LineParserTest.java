package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.parse.TritonEvent.*;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One real line per format; each line is quoted from a log under src/test/resources/logs. */
class LineParserTest {

  private static TritonEvent only(String line) {
    List<TritonEvent> events = LineParser.parse(1, line).events();
    assertEquals(1, events.size(), () -> "events of: " + line + " -> " + events);
    return events.get(0);
  }

  @Test
  void aLineFoundCleanReadsAsAnyOther() throws Exception {
    int clean = 0;
    for (String line : RealLines.in("src/test/resources", "src/test/resources/logs")) {
      if (line.chars().noneMatch(c -> c < 0x20)) {
        clean++;
        assertEquals(LineParser.parse(7, line), LineParser.parseClean(7, line), line);
      }
    }
    assertTrue(clean > 1000, "clean lines: " + clean);
  }

  @Test
  void aTableBorderIsOnlyPlusesAndDashes() {
    assertInstanceOf(TableBorder.class, LineParser.parseClean(1, "+------+----+").events().get(0));
    assertTrue(LineParser.parseClean(1, "+--x--+").events().stream().noneMatch(TableBorder.class::isInstance));
  }

  @Test
  void glogUnquotedBefore240() {
    ParsedLine p = LineParser.parse(1, "I1002 10:50:22.235603 1 model_lifecycle.cc:462] loading: classnet:1");
    assertEquals('I', p.severity());
    assertEquals(new ModelLoading("classnet", "1"), p.events().get(0));
    assertEquals(new LineTime(0, 10, 2, 10, 50, 22, 235603000, null), p.time());
  }

  @Test
  void glogQuotedSince240() {
    assertEquals(new ModelLoaded("Primary_Detect", null),
        only("I0318 12:02:39.469331 149 model_lifecycle.cc:838] \"successfully loaded 'Primary_Detect'\""));
    assertEquals(new ServiceStarted(TritonEvent.ServiceKind.METRICS, "0.0.0.0", 8002),
        only("I0720 11:05:19.740859 1 http_server.cc:358] \"Started Metrics Service at 0.0.0.0:8002\""));
  }

  @Test
  void quotedMessageUnescapes() {
    assertEquals("backend configuration:\n{\"cmdline\":{}}",
        LineParser.unquote("\"backend configuration:\\n{\\\"cmdline\\\":{}}\""));
  }

  @Test
  void viewerPrefixTimeWinsOverGlogTime() {
    ParsedLine p = LineParser.parse(1, "2025-07-20 14:04:26.620 | I0720 11:04:26.620525 1 "
        + "pinned_memory_manager.cc:277] \"Pinned memory pool is created at '0x204c00000' with size 268435456\"");
    assertEquals(2025, p.time().year());
    assertEquals(14, p.time().hour());
    assertEquals(new PinnedPool(268435456L), p.events().get(0));
  }

  @Test
  void dockerTimestampIsFirst() {
    ParsedLine p = LineParser.parse(1, "2024-03-01T10:00:00.123456789Z I0301 09:59:59.000000 1 "
        + "cuda_memory_manager.cc:107] CUDA memory pool is created on device 3 with size 67108864");
    assertEquals(Instant.parse("2024-03-01T10:00:00.123456789Z"), p.time().toInstant(1970));
    assertEquals(new CudaPool(3, 67108864L), p.events().get(0));
  }

  @Test
  void dockerDesktopHostTimePrefix() {
    ParsedLine p = LineParser.parse(1, "2024-07-23 19:39:35 I0723 14:09:35.070413 1 http_server.cc:4692] "
        + "\"Started HTTPService at 0.0.0.0:8000\"");
    assertEquals(19, p.time().hour());
    assertEquals(new ServiceStarted(TritonEvent.ServiceKind.HTTP, "0.0.0.0", 8000), p.events().get(0));
  }

  @Test
  void composePrefix() {
    assertEquals(new ModelLoading("glm_ocr", "1"),
        only("triton-1  | I0228 05:45:29.437611 1 model_lifecycle.cc:461] loading: glm_ocr:1"));
  }

  @Test
  void composePrefixBeforeTableRow() {
    assertEquals(new TableRow(List.of("glm_ocr", "1      ", "UNAVAILABLE: Internal")),
        only("triton-1  | | glm_ocr | 1       | UNAVAILABLE: Internal |"));
  }

  @Test
  void glogGluedToShellPrompt() {
    assertEquals(new PinnedPool(268435456L), only("root@airaiot-MS-7D25:/be_workspace/trt# I1106 12:36:07.335524 3487 "
        + "pinned_memory_manager.cc:241] Pinned memory pool is created at '0x7f2376000000' with size 268435456"));
  }

  @Test
  void markdownQuotedPaste() {
    TritonEvent e = only("> E1207 12:31:25.463427 1 model_repository_manager.cc:1191] **Poll failed for model "
        + "directory 'ensemble_model': failed to read text proto from /models/ensemble_model/config.pbtxt**");
    ModelLoadFailed f = assertInstanceOf(ModelLoadFailed.class, e);
    assertEquals("ensemble_model", f.model());
  }

  @Test
  void vllmV1WithEngineCorePrefixAndThousands() {
    assertEquals(new KvCacheTokens(35648),
        only("(EngineCore pid=26109) INFO 04-28 11:14:04 [kv_cache_utils.py:1319] GPU KV cache size: 35,648 tokens"));
    assertEquals(new MaxConcurrency(4096, 8.67), only("(EngineCore pid=26109) INFO 04-28 11:14:04 "
        + "[kv_cache_utils.py:1324] Maximum concurrency for 4,096 tokens per request: 8.67x"));
  }

  @Test
  void vllmV0WithoutBrackets() {
    assertEquals(new Blocks(11770, 2730L),
        only("INFO 04-14 08:39:33 executor_base.py:110] # CUDA blocks: 11770, # CPU blocks: 2730"));
  }

  /**
   * vLLM 0.8 and later print the platform's device name there (vllm/executor/executor_base.py:
   * {@code "# %s blocks: %d, # CPU blocks: %d", current_platform.device_name}), which is "cuda";
   * the V1 engine's line has no CPU part.
   */
  @Test
  void vllmBlocksNamedAfterTheDevice() {
    assertEquals(new Blocks(41345, 21845L),
        only("INFO 06-26 16:55:19 [executor_base.py:112] # cuda blocks: 41345, # CPU blocks: 21845"));
    assertEquals(new Blocks(947, null), only("INFO 08-20 12:00:01 [gpu_worker.py:59] # CUDA blocks: 947"));
    assertEquals(new Blocks(2987, 4096L),
        only("INFO 03-19 06:35:49 distributed_gpu_executor.py:57] # GPU blocks: 2987, # CPU blocks: 4096"));
  }

  @Test
  void vllmAnsiWorkerPrefix() {
    ParsedLine p = LineParser.parse(1, "\u001b[1;36m(VllmWorkerProcess pid=1031294)\u001b[0;0m INFO 04-14 08:39:33 "
        + "worker.py:267] Memory profiling takes 6.63 seconds");
    assertEquals(new MemoryProfiled(6.63), p.events().get(0));
  }

  @Test
  void vllmMemoryLines() {
    assertEquals(new GpuBudget(16.0, 0.9), only("INFO 07-20 11:05:09 [worker.py:292] the current vLLM instance can use "
        + "total_gpu_memory (16.00GiB) x gpu_memory_utilization (0.90) = 14.40GiB"));
    assertEquals(new MemoryBreakdown(2.32, 0.03, 1.18, 10.86), only("INFO 07-20 11:05:09 [worker.py:292] model weights "
        + "take 2.32GiB; non_torch_memory takes 0.03GiB; PyTorch activation peak memory takes 1.18GiB; the rest of "
        + "the memory reserved for KV Cache is 10.86GiB."));
    assertEquals(new ModelMemory(7.12, 7.406471), only("(EngineCore pid=26109) INFO 04-28 11:13:56 "
        + "[gpu_model_runner.py:4820] Model loading took 7.12 GiB memory and 7.406471 seconds"));
    assertEquals(new GraphCaptureFinished(9, 0.16), only("INFO 07-20 11:05:19 [model_runner.py:1673] Graph capturing "
        + "finished in 9 secs, took 0.16 GiB"));
  }

  @Test
  void tqdmCarriageReturnsKeepTheLastDrawnBar() {
    ParsedLine p = LineParser.parse(1, "Loading safetensors checkpoint shards:   0% Completed | 0/2\r"
        + "Loading safetensors checkpoint shards: 100% Completed | 2/2 [00:04<00:00,  2.09s/it]\r");
    assertEquals(new WeightsLoading(null), p.events().get(0));
    assertTrue(p.message().startsWith("Loading safetensors checkpoint shards: 100%"));
  }

  @Test
  void uvicornSocketAndUrl() {
    assertEquals(new ServiceStarted(TritonEvent.ServiceKind.HTTP, "0.0.0.0", 1225),
        only("INFO:     Uvicorn running on socket ('0.0.0.0', 1225) (Press CTRL+C to quit)"));
    assertEquals(new ServiceStarted(TritonEvent.ServiceKind.HTTP, "0.0.0.0", 8000),
        only("\u001b[0;36m(APIServer pid=1)\u001b[0;0m INFO 02-05 00:06:53 [api_server.py:1428] Starting vLLM API "
            + "server 0 on http://0.0.0.0:8000"));
    assertInstanceOf(ApplicationStarted.class, only("(APIServer pid=1) INFO:     Application startup complete."));
  }

  @Test
  void portConflictIsFatal() {
    Fatal f = assertInstanceOf(Fatal.class, only("E1221 09:27:15.346824 166 main.cc:244] failed to start GRPC service: "
        + "Unavailable - Socket '0.0.0.0:8001' already in use"));
    assertEquals(TritonEvent.ErrorClass.PORT_CONFLICT, f.errorClass());
  }

  @Test
  void failedLoadWithReason() {
    ModelLoadFailed f = assertInstanceOf(ModelLoadFailed.class, only("E1002 10:50:22.303434 1 model_lifecycle.cc:621] "
        + "failed to load 'classnet' version 1: Internal: unable to load plan file to auto complete config: "
        + "/models/classnet/1/model.plan"));
    assertEquals("classnet", f.model());
    assertEquals("1", f.version());
    assertEquals("Internal: unable to load plan file to auto complete config: /models/classnet/1/model.plan", f.reason());
  }

  @Test
  void tableRowsKeepPaddingForWrappedCells() {
    TableRow r = assertInstanceOf(TableRow.class,
        only("| server_extensions                | classification sequence model_repository sch |"));
    assertEquals("server_extensions               ", r.cells().get(0));
    assertInstanceOf(TableBorder.class, only("+----------------------------------+------------+"));
  }

  @Test
  void bannerAndVersion() {
    assertEquals(new Banner(TritonEvent.Program.TRITON), only("== Triton Inference Server =="));
    assertEquals(new ServerVersion("2.36.0"), only("Triton Server Version 2.36.0"));
    assertEquals(new Banner(TritonEvent.Program.VLLM), only("== vLLM =="));
  }

  @Test
  void unknownLinesAreNormal() {
    ParsedLine p = LineParser.parse(7, "I1002 10:50:22.236569 1 tensorrt.cc:105] backend configuration:");
    assertTrue(p.events().isEmpty());
    assertTrue(p.structured());
    assertNull(LineParser.parse(8, "just some text").time());
  }

  @Test
  void trtLlmLines() {
    assertEquals(new FigureSeen(Figure.ENGINE_SIZE_MIB, 3404L), only("[TensorRT-LLM][INFO] Loaded engine size: 3404 MiB"));
    assertEquals(TritonEvent.ErrorClass.OOM, assertInstanceOf(InstanceFailed.class, only("E0306 16:40:07.708802 117 "
        + "backend_model.cc:691] ERROR: Failed to create instance: unexpected error when creating modelInstanceState: "
        + "maxTokensInPagedKvCache (29184) must be large enough")).reason().contains("maxTokens")
        ? TritonEvent.ErrorClass.OOM : null);
  }

  @Test
  void trtLlmLinesBehindAStampOrAViewerColumn() {
    // `docker logs -t` and the daemon's own reading put Docker's stamp first; viewers add a column.
    for (String prefix : new String[] {"2024-05-01T10:00:00.123456789Z ", "2025-07-20 14:15:25.396 | ",
        "trtllm-1  | ", "2024-05-01T10:00:00.123456789Z trtllm-1  | "}) {
      ParsedLine p = LineParser.parse(1, prefix + "[TensorRT-LLM][WARNING] Loaded engine size: 3404 MiB");
      assertEquals('W', p.severity(), prefix);
      assertTrue(p.structured(), prefix);
      assertEquals(List.of(new FigureSeen(Figure.ENGINE_SIZE_MIB, 3404L)), p.events(), prefix);
    }
    // Not at the prefix's end: text, not a header.
    assertTrue(LineParser.parse(1, "2024-05-01T10:00:00Z see [TensorRT-LLM][INFO] Loaded engine size: 3 MiB")
        .events().isEmpty());
  }

  @Test
  void vllmProfileTableRowsOf065() {
    // vllm-project/vllm#10511: "Memory profiling results:" then one row per figure.
    assertEquals(new FigureSeen(Figure.TOTAL_GPU_MEMORY_GIB, 79.22),
        only("INFO 12-13 19:54:18 worker.py:243] total_gpu_memory     79.22GiB"));
    assertEquals(new MemoryBreakdown(null, null, 1.26, null),
        only("INFO 12-13 19:54:18 worker.py:243] PyTorch activation peak memory       1.26GiB"));
    assertEquals(new MemoryBreakdown(null, null, null, 53.29),
        only("INFO 12-13 19:54:18 worker.py:243] available_kv_cache_memory    53.29GiB"));
    assertEquals(new MemoryProfiled(0.75), only("INFO 12-13 19:54:18 worker.py:243] duration     0.75 seconds"));
    // Every row name's first letter, which decides whether the row expression is tried at all.
    assertEquals(new FigureSeen(Figure.GPU_MEMORY_UTILIZATION, 0.9),
        only("INFO 12-13 19:54:18 worker.py:243] gpu_memory_utilization     0.90"));
    assertEquals(new MemoryBreakdown(null, 0.43, null, null),
        only("INFO 12-13 19:54:18 worker.py:243] non_torch_memory     0.43GiB"));
    assertTrue(LineParser.parse(1, "INFO 12-13 19:54:18 worker.py:243] Duration     0.75 seconds").events().isEmpty());
  }

  @Test
  void pythonExceptionsWithAndWithoutModuleAreRead() {
    assertInstanceOf(PythonException.class, only("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB"));
    assertInstanceOf(PythonException.class, only("RuntimeError: CUDA error: an illegal memory access was encountered"));
    assertInstanceOf(PythonException.class, only("grpc.RpcException: the server went away"));
    // A headerless line that names an error but is no exception's last line.
    assertTrue(LineParser.parse(1, "See the Error: section of the guide").events().isEmpty());
  }

  @Test
  void kvCacheTooSmallForMaxLenIsOom() {
    PythonException p = assertInstanceOf(PythonException.class, only("ValueError: The model's max seq len (32768) is "
        + "larger than the maximum number of tokens that can be stored in KV cache (7440). Try increasing "
        + "`gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."));
    assertEquals(TritonEvent.ErrorClass.OOM, p.errorClass());
  }

  @Test
  void relayLevelAndLoggerAfterADateColumnArePeeled() {
    // FastChat relays a worker's output as "date | LEVEL | logger | message".
    ParsedLine p = LineParser.parse(1, "2024-01-18 02:29:37 | ERROR | stderr | torch.cuda.OutOfMemoryError: CUDA out of "
        + "memory. Tried to allocate 2.00 MiB");
    assertEquals('E', p.severity());
    assertEquals("torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 MiB", p.message());
    assertEquals(TritonEvent.ErrorClass.OOM, ((TritonEvent.PythonException) p.events().get(0)).errorClass());
    assertEquals(2024, p.time().year());
  }
}
