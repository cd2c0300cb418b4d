package io.tritonwatch.parse;

import io.tritonwatch.parse.TritonEvent.ErrorClass;
import java.util.Locale;

/** Names the kind of trouble an error text describes, from the words Triton and vLLM use. */
public final class ErrorClassifier {

  private ErrorClassifier() {}

  /** @return the class, or {@code fallback} when the text names nothing specific */
  public static ErrorClass classify(String text, ErrorClass fallback) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.contains("already in use") || t.contains("address in use")) {
      return ErrorClass.PORT_CONFLICT;
    }
    if (t.contains("out of memory") || t.contains("outofmemory") || t.contains("maxtokensinpagedkvcache")
        || t.contains("not enough memory") || t.contains("insufficient memory")
        || t.contains("no available memory for the cache blocks")
        || t.contains("larger than the available kv cache memory")
        || t.contains("cuda_error_out_of_memory") || t.contains("failed to allocate memory")
        || t.contains("can be stored in kv cache") || t.contains("increasing `gpu_memory_utilization`")
        || t.contains("increase gpu_memory_utilization")
        || t.contains("less than desired gpu memory utilization") || t.contains("not enough gpu memory")) {
      return ErrorClass.OOM;
    }
    if (t.contains("cuda driver version is insufficient") || t.contains("no cuda-capable device")
        || t.contains("cuda error") || t.contains("cudaerror") || t.contains("cuda_error")
        || t.contains("failed to initialize nvml") || t.contains("nvidia driver")
        || t.contains("cuda failed to initialize") || t.contains("cudadriverhelper")
        || t.contains("nccl error") || t.contains("cuda device count")
        || t.contains("cuda initialization") || t.contains("found no nvidia driver")
        || cudaRuntimeMessage(t)) {
      return ErrorClass.CUDA;
    }
    if (t.contains("no such file or directory") && t.contains("config.pbtxt")
        || t.contains("not found in any model repository") || t.contains("failed to stat file")
        || t.contains("model repository path") || t.contains("repository path is not")
        || t.contains("failed to open model repository")) {
      return ErrorClass.REPOSITORY;
    }
    if (t.contains("backend library") || t.contains("text proto") || t.contains("parse error")
        || t.contains("unexpected platform") || t.contains("invalid argument")
        || t.contains("config.pbtxt") || t.contains("json.exception")
        || t.contains("configuration") || t.contains("unrecognized option")
        || t.contains("invalid config") || t.contains("unrecognized arguments") || t.contains("invalid choice")
        || t.contains("illegal value") || t.contains("unknown command line flag")
        || t.contains("is missing its argument")) {
      return ErrorClass.CONFIG;
    }
    return fallback;
  }

  /**
   * What cudaGetErrorString and the driver say, the forms of triton-lang, TensorRT-LLM and
   * Torch-TensorRT, and a failed {@code status == cudaSuccess} check: the GPU or its driver,
   * whatever the wrapping message.
   */
  private static boolean cudaRuntimeMessage(String t) {
    return t.contains("cudasuccess") || t.contains("triton error [cuda]") || t.contains("cuda runtime error in")
        || t.contains("unable to read cuda capable devices")
        || t.contains("provided ptx was compiled with an unsupported toolchain")
        || t.contains("no kernel image is available") || t.contains("device kernel image is invalid")
        || t.contains("invalid device function") || t.contains("forward compatibility was attempted")
        || t.contains("unsupported display driver / cuda driver combination")
        || t.contains("cuda-capable devices are busy or unavailable")
        || t.contains("illegal memory access was encountered") || t.contains("unspecified launch failure")
        || t.contains("ptx jit compiler library not found");
  }
}
