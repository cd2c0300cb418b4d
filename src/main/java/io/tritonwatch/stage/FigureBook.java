package io.tritonwatch.stage;

import io.tritonwatch.parse.Figure;
import io.tritonwatch.parse.TritonEvent;
import io.tritonwatch.parse.TritonEvent.*;

/**
 * The figures a start-up's lines state (pools, weights, memory, KV cache, graphs, timings):
 * which of several tellings counts (each rank prints its own), which model's engine they
 * belong to, and the stage a figure says the server is in.
 */
final class FigureBook {

  private final StartupRun run;
  /**
   * Speculative decoding: after "Loading drafter model" the weights and the second
   * torch.compile are the draft model's, not the target's.
   */
  private boolean drafter;

  FigureBook(StartupRun run) {
    this.run = run;
  }

  /** @return whether the event was a figure's: recorded, and the stage it says the server is in entered */
  boolean apply(TritonEvent e) {
    if (e instanceof PinnedPool p) {
      run.figures.put(Figure.PINNED_MEMORY_BYTES, p.bytes());
      run.enter(Stage.MEMORY_POOLS);
    } else if (e instanceof CudaPool p) {
      run.figures.cudaPool(p.device(), p.bytes());
      run.enter(Stage.MEMORY_POOLS);
    } else if (e instanceof DrafterLoading d) {
      drafter = true;
    } else if (e instanceof WeightsLoaded w && drafter) {
      figure(Figure.DRAFTER_WEIGHTS_LOAD_SECONDS, w.seconds());
    } else if (e instanceof WeightsLoaded w) {
      figure(Figure.WEIGHTS_LOAD_SECONDS, w.seconds());
      run.backdate(Stage.WEIGHT_LOADING, w.seconds());
    } else if (e instanceof ModelMemory m) {
      figure(Figure.WEIGHTS_GIB, m.gib());
      if (m.seconds() != null) {
        figure(Figure.MODEL_LOAD_SECONDS, m.seconds());
        run.backdate(Stage.WEIGHT_LOADING, m.seconds());
      } else {
        run.enter(Stage.WEIGHT_LOADING);
      }
    } else if (e instanceof GpuBudget g) {
      figure(Figure.TOTAL_GPU_MEMORY_GIB, g.totalGib());
      figure(Figure.GPU_MEMORY_UTILIZATION, g.utilization());
      run.enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof MemoryBreakdown b) {
      if (b.weightsGib() != null) {
        run.figures.putIfAbsent(Figure.WEIGHTS_GIB, b.weightsGib());
      }
      figure(Figure.NON_TORCH_GIB, b.nonTorchGib());
      figure(Figure.ACTIVATION_PEAK_GIB, b.activationPeakGib());
      figure(Figure.KV_CACHE_GIB, b.kvCacheGib());
      run.enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof KvCacheMemory k) {
      figure(Figure.KV_CACHE_GIB, k.gib());
      run.enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof MemoryProfiled p) {
      figure(Figure.MEMORY_PROFILING_SECONDS, p.seconds());
      run.backdate(Stage.MEMORY_PROFILING, p.seconds());
    } else if (e instanceof Blocks b) {
      figure(Figure.GPU_BLOCKS, b.gpuBlocks());
      figure(Figure.CPU_BLOCKS, b.cpuBlocks());
      run.enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof KvCacheTokens t) {
      figure(Figure.KV_CACHE_TOKENS, t.tokens());
      run.enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof MaxConcurrency c) {
      figure(Figure.MAX_CONCURRENCY, c.factor());
      figure(Figure.MAX_CONCURRENCY_TOKENS, c.tokensPerRequest());
      run.enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof GraphCaptureStarted g) {
      run.enter(Stage.GRAPH_CAPTURE);
    } else if (e instanceof GraphCaptureFinished g) {
      figure(Figure.GRAPH_CAPTURE_SECONDS, g.seconds());
      figure(Figure.GRAPH_CAPTURE_GIB, g.gib());
      run.backdate(Stage.GRAPH_CAPTURE, g.seconds());
    } else if (e instanceof EngineInitialized i) {
      figure(Figure.ENGINE_INIT_SECONDS, i.seconds());
      run.enter(Stage.ENGINE_READY);
    } else if (e instanceof FigureSeen f && drafter && f.figure() == Figure.TORCH_COMPILE_SECONDS
        && run.figures.get(Figure.TORCH_COMPILE_SECONDS) != null) {
      figure(Figure.DRAFTER_TORCH_COMPILE_SECONDS, f.value()); // the draft model compiles second
    } else if (e instanceof FigureSeen f) {
      if (f.figure() == Figure.MODEL_REPOSITORY_PATH) {
        run.figures.putIfAbsent(f.figure(), f.value()); // an error's path only where no option said it
      } else {
        figure(f.figure(), f.value());
      }
      Stage hinted = stageOf(f.figure().phase);
      if (hinted != null) {
        run.enter(hinted);
      }
    } else if (e instanceof GpuName g) {
      run.figures.putIfAbsent(Figure.GPU_NAME, g.name());
    } else {
      return false;
    }
    return true;
  }

  /**
   * Each tensor-parallel rank prints its own KV cache before the engine settles on the
   * smallest: the engine runs with the minimum, whichever rank printed last.
   */
  private static boolean smallestWins(Figure figure) {
    return switch (figure) {
      case KV_CACHE_GIB, KV_CACHE_TOKENS, GPU_BLOCKS, MAX_CONCURRENCY -> true;
      default -> false;
    };
  }

  private void figure(Figure name, Object value) {
    if (value == null) {
      return;
    }
    ModelRecord m = run.engineTarget();
    if (m == null) {
      run.figures.put(name, kept(name, run.figures.get(name), value));
      return;
    }
    // The minimum is over one engine's ranks; another model's engine starts its own.
    Object v = kept(name, m.figures.get(name), value);
    m.figures.put(name, v);
    run.figures.put(name, v);
  }

  /** Each rank times its own weights and compile: the engine waited for the slowest. */
  private static boolean largestWins(Figure figure) {
    return switch (figure) {
      case WEIGHTS_LOAD_SECONDS, MODEL_LOAD_SECONDS, TORCH_COMPILE_SECONDS, DYNAMO_TRANSFORM_SECONDS,
          GRAPH_CAPTURE_SECONDS -> true;
      default -> false;
    };
  }

  private static Object kept(Figure name, Object had, Object now) {
    if (had instanceof Number h && now instanceof Number n
        && (smallestWins(name) && h.doubleValue() < n.doubleValue()
            || largestWins(name) && h.doubleValue() > n.doubleValue())) {
      return had;
    }
    return now;
  }

  /** TensorRT-LLM prints no stage lines; its figures say where it is. */
  private static Stage stageOf(Figure.Phase phase) {
    return switch (phase) {
      case POOLS -> Stage.MEMORY_POOLS;
      case WEIGHTS -> Stage.WEIGHT_LOADING;
      case MEMORY -> Stage.MEMORY_PROFILING;
      case GRAPHS -> Stage.GRAPH_CAPTURE;
      case NONE -> null;
    };
  }
}
