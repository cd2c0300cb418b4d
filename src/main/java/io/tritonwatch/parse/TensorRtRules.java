package io.tritonwatch.parse;

import io.tritonwatch.parse.TritonEvent.FigureSeen;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Figures printed by TensorRT and TensorRT-LLM while an engine loads. */
final class TensorRtRules {

  private static final Pattern ENGINE_SIZE = Pattern.compile("^Loaded engine size: (\\d+) MiB");
  private static final Pattern MPI = Pattern.compile("^MPI size: (\\d+), rank: \\d+");
  private static final Pattern PAGES = Pattern.compile("^Max KV cache pages per sequence: (\\d+)");
  private static final Pattern PAGED_MEMORY = Pattern.compile(
      "^Memory usage when calculating max tokens in paged kv cache: total: ([\\d.]+) GiB, available: ([\\d.]+) GiB");
  private static final Pattern PRIMARY = Pattern.compile("^Number of blocks in KV cache primary pool: (\\d+)");
  private static final Pattern SECONDARY = Pattern.compile("^Number of blocks in KV cache secondary pool: (\\d+)");
  private static final Pattern KV_BYTES = Pattern.compile("^Allocate (\\d+) bytes for k/v cache");
  private static final Pattern KV_TOKENS = Pattern.compile(
      "^Using (\\d+) total tokens in paged KV cache, and (\\d+) blocks per sequence");
  private static final Pattern DESERIALIZE = Pattern.compile("^Deserialize required (\\d+) microseconds");
  private static final Pattern GPU_NOW = Pattern.compile("now: CPU \\d+, GPU (\\d+) \\(MiB\\)");

  private TensorRtRules() {}

  static void read(String msg, List<TritonEvent> out) {
    Matcher m;
    if (msg.startsWith("Loaded engine size") && (m = ENGINE_SIZE.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.ENGINE_SIZE_MIB, Long.parseLong(m.group(1))));
    } else if (msg.startsWith("Deserialize required") && (m = DESERIALIZE.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.TRT_DESERIALIZE_MICROSECONDS, Long.parseLong(m.group(1))));
    } else if (msg.startsWith("MPI size") && (m = MPI.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.MPI_WORLD_SIZE, Long.parseLong(m.group(1))));
    } else if (msg.startsWith("Max KV cache pages") && (m = PAGES.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.MAX_KV_PAGES_PER_SEQUENCE, Long.parseLong(m.group(1))));
    } else if (msg.startsWith("Memory usage when calculating") && (m = PAGED_MEMORY.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.TOTAL_GPU_MEMORY_GIB, Double.parseDouble(m.group(1))));
      out.add(new FigureSeen(Figure.AVAILABLE_GPU_MEMORY_GIB, Double.parseDouble(m.group(2))));
    } else if (msg.startsWith("Number of blocks in KV cache")) {
      if ((m = PRIMARY.matcher(msg)).lookingAt()) {
        out.add(new FigureSeen(Figure.KV_PRIMARY_POOL_BLOCKS, Long.parseLong(m.group(1))));
      } else if ((m = SECONDARY.matcher(msg)).lookingAt()) {
        out.add(new FigureSeen(Figure.KV_SECONDARY_POOL_BLOCKS, Long.parseLong(m.group(1))));
      }
    } else if (msg.startsWith("Allocate ") && (m = KV_BYTES.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.KV_CACHE_BYTES, Long.parseLong(m.group(1))));
    } else if (msg.startsWith("Using ") && (m = KV_TOKENS.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.KV_CACHE_TOKENS, Long.parseLong(m.group(1))));
      out.add(new FigureSeen(Figure.BLOCKS_PER_SEQUENCE, Long.parseLong(m.group(2))));
    } else if (msg.startsWith("[MemUsageChange]") && (m = GPU_NOW.matcher(msg)).find()) {
      out.add(new FigureSeen(Figure.TENSORRT_GPU_MIB, Long.parseLong(m.group(1))));
    }
  }
}
