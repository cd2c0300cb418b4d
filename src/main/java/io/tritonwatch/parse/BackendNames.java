package io.tritonwatch.parse;

import java.util.Locale;

/** Maps the source file of a TRITONBACKEND_* line to the backend's name in Triton. */
final class BackendNames {

  static final String FASTER_TRANSFORMER = "fastertransformer";

  private BackendNames() {}

  static String fromSource(String source) {
    if (source == null) {
      return null;
    }
    String s = source.toLowerCase(Locale.ROOT);
    if (s.contains("tensorrtllm") || s.contains("tensorrt_llm") || s.startsWith("model_instance_state")
        || s.startsWith("model_state")) {
      return "tensorrtllm";
    }
    if (s.startsWith("python_be")) {
      return "python";
    }
    if (s.startsWith("libtorch")) {
      return "pytorch";
    }
    if (s.startsWith("onnxruntime")) {
      return "onnxruntime";
    }
    if (s.startsWith("tensorrt") || s.startsWith("plan_backend")) {
      return "tensorrt";
    }
    if (s.startsWith("tensorflow") || s.startsWith("tf_")) {
      return "tensorflow";
    }
    if (s.startsWith("libfastertransformer")) {
      // Shared by FasterTransformer and lmdeploy's TurboMind: the tracker tells them apart by
      // the name TRITONBACKEND_Initialize gave.
      return FASTER_TRANSFORMER;
    }
    if (s.startsWith("openvino")) {
      return "openvino";
    }
    if (s.startsWith("dali")) {
      return "dali";
    }
    return null;
  }
}
