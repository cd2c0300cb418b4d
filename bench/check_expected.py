#!/usr/bin/env python3
"""Compares `tritonwatch analyze --format json` of a gen_log.py file with its expected.json.

    python3 check_expected.py ANALYZE.json LOG.expected.json

Checks every start-up, failure and figure the generator lists that the JSON summary holds:
the number of start-ups and of failed ones, per model the start-ups that loaded it, that
loaded it and that failed it, the services started, and the last value of each figure.
Prints one line per check and exits 1 if any differs.
"""
import json
import sys
from collections import Counter

got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
runs = got["runs"]
problems = []
checks = 0


def check(name, expected, actual):
    global checks
    checks += 1
    if expected != actual:
        problems.append(f"{name}: expected {expected}, got {actual}")


check("start-ups", want["startups"], len(runs))
check("failed start-ups", want["failed_startups"], sum(1 for r in runs if r["outcome"] == "failed"))
loading, loaded, failed = Counter(), Counter(), Counter()
for r in runs:
    for m in r["models"]:
        loading[m["name"]] += 1
        if m["state"] == "READY" or m["currentState"] in ("READY", "UNLOADED", "UNLOADING") and m["state"] != "FAILED":
            loaded[m["name"]] += 1
        if m["state"] == "FAILED":
            failed[m["name"]] += 1
c = want["counters"]
for model, n in c["triton_model_loading_total"].items():
    check(f"loading {model}", n, loading[model])
for model, n in c["triton_model_loaded_total"].items():
    check(f"loaded {model}", n, loaded[model])
for model, n in c["triton_model_load_failed_total"].items():
    check(f"failed {model}", n, failed[model])
services = Counter()
for r in runs:
    for s in r.get("services", []):
        services[s["kind"]] += 1
names = {"GRPCInferenceService": "grpc", "HTTPService": "http", "Metrics Service": "metrics"}
for svc, n in c["triton_service_started_total"].items():
    check(f"service {svc}", n, services[names[svc]])
# Gauges keep the last value written: the latest start-up that printed the figure.
figures = {"vllm_weights_gib": "weightsGiB", "vllm_weights_load_seconds": "weightsLoadSeconds",
           "vllm_model_loading_seconds": "modelLoadSeconds", "vllm_total_gpu_memory_gib": "totalGpuMemoryGiB",
           "vllm_kv_cache_gib": "kvCacheGiB", "vllm_graph_capture_seconds": "graphCaptureSeconds",
           "vllm_graph_capture_gib": "graphCaptureGiB", "vllm_engine_init_seconds": "engineInitSeconds",
           "triton_pinned_memory_pool_bytes": "pinnedMemoryBytes"}
for gauge, key in figures.items():
    last = next((r["figures"][key] for r in reversed(runs) if key in r.get("figures", {})), None)
    check(gauge, float(want["gauges"][gauge][""]), None if last is None else float(last))
pools = {}
for r in runs:
    for dev, b in r.get("figures", {}).get("cudaPoolBytes", {}).items():
        pools[dev] = b
for dev, b in want["gauges"]["triton_cuda_memory_pool_bytes"].items():
    check(f"cuda pool device {dev}", b, pools.get(dev))
check("lines", want["lines"], got["linesRead"])
for p in problems:
    print("DIFFERS", p)
print(f"{checks - len(problems)} of {checks} checks right")
sys.exit(1 if problems else 0)
