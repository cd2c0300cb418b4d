#!/usr/bin/env python3
"""Load scenario for `tritonwatch watch` (a bench script, not a test).

    python3 bench/watch_load.py [--containers 20] [--rate 500] [--seconds 60]

Starts the daemon with bin/tritonwatch (the launcher's JVM flags and class-data archive; run
it once before measuring so the archive exists; JFLAGS=... runs plain java with the image's
flags plus those instead) on a loopback port, measures launch-to-healthy, then starts N containers of the test image that each write
RATE noise lines per second (Triton's per-request glog lines, in bursts every 100 ms) plus one
probe line per second. The probe is vLLM's KV-cache line with N as its block count
('# GPU blocks: N', visible as figures.gpuBlocks; --probe figure, the default) or a model
load ('loading: probe<N>:1', --probe model: every probe adds a model, so /status grows by a
model per container a second, far past any real server's). While they run it samples the daemon's CPU time
and RSS from /proc, and polls /status every POLL_MS (5) ms to see when each probe line becomes visible;
the latency is that moment minus Docker's own timestamp on the line (docker logs -t).
Needs a running Docker engine and the image tritonwatch-test/busybox:2 (the integration
tests build it).

--engine containerd runs the same writers as pods of a private containerd through its CRI API
(src/test/cri, as the Kubernetes tests do: as root, with Debian's containerd, runc and
python3-grpcio) and the daemon with --source kubernetes on the pod log files containerd writes,
so the Docker json-file reader and the Kubernetes pod log reader meet the same load.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid

p = argparse.ArgumentParser()
p.add_argument("--containers", type=int, default=20)
p.add_argument("--rate", type=int, default=500)
p.add_argument("--seconds", type=int, default=60)
p.add_argument("--port", type=int, default=19480)
p.add_argument("--poll-ms", type=float, default=5, help="how often phase 2 asks /status")
# "figure" no longer works as a probe: a KV-cache capacity is the minimum over the engine's
# ranks (a reading decision), so a growing block count shows only its first value.
p.add_argument("--probe", choices=["figure", "model"], default="model")
p.add_argument("--settle", type=float, default=5,
               help="seconds the containers run before phase 1 (the client compiler works for the first half minute)")
p.add_argument("--engine", choices=["docker", "containerd"], default="docker")
p.add_argument("--log-files", choices=["auto", "off"], default="auto",
               help="the daemon's docker.log_files: auto reads the json-files (run as root), off the log API")
a = p.parse_args()

label = "tritonwatch.bench=" + uuid.uuid4().hex[:8]
jar = os.path.join(os.path.dirname(__file__), "..", "target", "tritonwatch.jar")
flags = ["-XX:+UseSerialGC", "-Xms8m", "-Xmn4m", "-Xmx64m", "-XX:MaxMetaspaceSize=64m", "-Xss512k", "-XX:TieredStopAtLevel=1",
         "-XX:ReservedCodeCacheSize=16m", "-XX:-UsePerfData"] + os.environ.get("JFLAGS", "").split()
base = f"http://127.0.0.1:{a.port}"


def get(path):
    with urllib.request.urlopen(base + path, timeout=5) as r:
        return r.status, r.read()


t0 = time.monotonic()
launcher = os.path.join(os.path.dirname(__file__), "..", "bin", "tritonwatch")
command = ["java", *flags, "-jar", jar] if os.environ.get("JFLAGS") else [launcher]
here = os.path.dirname(os.path.abspath(__file__))
cri_dir = os.path.join(here, "..", "target", "cri")
if a.engine == "containerd":
    sock = subprocess.check_output(["bash", os.path.join(here, "..", "src", "test", "cri", "start-containerd.sh"),
                                    cri_dir], text=True).strip().splitlines()[-1]
    pod_root = os.path.join(os.path.abspath(cri_dir), "pods")
    os.makedirs(pod_root, exist_ok=True)
    source = ["--source", "kubernetes", "--kubernetes-log-root", pod_root, "--kubernetes-api", "off",
              "--select-names", "^bench/" + label.split("=")[1] + "-", "--select-labels", ""]
else:
    source = ["--select-labels", label, "--docker-log-files", a.log_files]


def cri(*args):
    return subprocess.check_output(["/usr/bin/python3", os.path.join(here, "..", "src", "test", "cri", "cri.py"), sock,
                                    *args], text=True).strip()


daemon = subprocess.Popen([*command, "watch", "--listen", f"127.0.0.1:{a.port}",
                           "--select-images", "", "--log-level", "warn",
                           "--web-max-requests-per-second", "1000", *source])
healthy = None
while time.monotonic() - t0 < 30:
    try:
        if get("/healthz")[0] == 200:
            healthy = time.monotonic() - t0
            break
    except Exception:
        pass
    time.sleep(0.005)
print(f"launch to healthy /healthz: {healthy:.3f} s" if healthy else "never healthy")

burst = max(1, a.rate // 10)
probe_line = ('INFO 07-20 11:06:39 gpu_executor.py:122] # GPU blocks: %d, # CPU blocks: 8192' if a.probe == "figure"
              else 'I0720 11:06:39.000000 1 model_lifecycle.cc:473] "loading: probe%d:1"')
probe_re = re.compile(r"(\S+) .*GPU blocks: (\d+)," if a.probe == "figure" else r"(\S+) .*loading: probe(\d+):1")
noise = 'I0720 11:06:38.965050 1 infer_request.cc:131] "[request id: <id_unknown>] Setting state from PENDING to EXECUTING"'
script = f"""n=0
while true; do
  i=0
  while [ $i -lt {burst} ]; do printf '%s\\n' '{noise}'; i=$((i+1)); done
  n=$((n+1))
  if [ $((n % 10)) -eq 0 ]; then printf '{probe_line}\\n' $((n/10)); fi
  usleep 100000
done
"""
ids = []
names = {}
pods = {}  # container id -> (sandbox, log file)
for i in range(a.containers):
    if a.engine == "containerd":
        name, uid = label.split("=")[1] + "-" + str(i), str(uuid.uuid4())
        logdir = os.path.join(pod_root, f"bench_{name}_{uid}")
        os.makedirs(logdir, exist_ok=True)
        sandbox = cri("runp", name, uid, "bench", logdir)
        cid = cri("create", sandbox, name, uid, "bench", logdir, "writer", "0", "tritonwatch.local/busybox:1",
                  "/bin/sh", "-c", script)
        cri("start", cid)
        ids.append(cid)
        names[cid] = uid + "/writer"  # the container's id in /status
        pods[cid] = (sandbox, os.path.join(logdir, "writer", "0.log"))
    else:
        ids.append(subprocess.check_output(["docker", "run", "-d", "--network", "none", "--label", label,
                                            "tritonwatch-test/busybox:2", "/bin/sh", "-c", script], text=True).strip())
for cid in ids:
    if a.engine == "docker":
        names[cid] = subprocess.check_output(["docker", "inspect", "-f", "{{.Name}}", cid], text=True).strip().lstrip("/")

seen = {}  # (container name, probe) -> monotonic-synchronised wall time when first visible
cpu_samples = []
rss_samples = []
clk = os.sysconf("SC_CLK_TCK")


def cpu_seconds():
    f = open(f"/proc/{daemon.pid}/stat").read().split(")")[-1].split()
    return (int(f[11]) + int(f[12])) / clk


def thread_ticks():
    ticks = {}
    for t in os.listdir(f"/proc/{daemon.pid}/task"):
        try:
            f = open(f"/proc/{daemon.pid}/task/{t}/stat").read()
            name = f[f.index("(") + 1:f.rindex(")")]
            rest = f[f.rindex(")") + 2:].split()
            ticks[t] = (name, int(rest[11]) + int(rest[12]))
        except (OSError, ValueError):
            pass
    return ticks


def rss_mib():
    for line in open(f"/proc/{daemon.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0


time.sleep(a.settle)  # let every follower connect
# Phase 1: cost. Nothing but the containers' logs reaches the daemon; RSS sampled from /proc.
cpu0, t_cpu, threads0 = cpu_seconds(), time.time(), thread_ticks()
while time.time() < t_cpu + a.seconds / 2:
    rss_samples.append(rss_mib())
    time.sleep(1)
cpu = cpu_seconds() - cpu0
cpu_elapsed = time.time() - t_cpu
threads1 = thread_ticks()
by_name = {}
for t, (name, ticks) in threads1.items():
    by_name[name] = by_name.get(name, 0) + ticks - threads0.get(t, (name, 0))[1]
busiest = sorted(((v, k) for k, v in by_name.items() if v > 0), reverse=True)[:4]
rss_quiet = max(rss_samples)
# Phase 2: latency. /status is polled every --poll-ms (which costs the daemon CPU of its own).
start = time.time()
deadline = start + a.seconds / 2
next_sample = start
while time.time() < deadline:
    try:
        status = json.loads(get("/status")[1])
    except Exception:
        time.sleep(a.poll_ms / 1000)
        continue
    now = time.time()
    for c in status["containers"]:
        if a.probe == "figure":
            shown = [c["summary"]["figures"].get("gpuBlocks")]
        else:
            shown = [m["name"][len("probe"):] for m in c["summary"]["models"] if m["name"].startswith("probe")]
        for n in shown:
            k = (c["id"] if a.engine == "containerd" else c["name"], str(n))
            if n is not None and k not in seen:
                seen[k] = now
    if now >= next_sample:
        rss_samples.append(rss_mib())
        next_sample = now + 1
    time.sleep(a.poll_ms / 1000)
elapsed = time.time() - start
lines = json.loads(get("/status")[1])
total_lines = sum(c["summary"]["linesRead"] for c in lines["containers"])

latencies = []
for cid in ids:
    if a.engine == "containerd":
        # CRI records: the stamp, the stream, the tag, the line; the probe's stamp is the first field.
        out = "\n".join(l.split(" ", 3)[0] + " " + l.split(" ", 3)[3] for l in open(pods[cid][1]).read().splitlines()
                        if l.count(" ") >= 3)
    else:
        out = subprocess.run(["docker", "logs", "-t", cid], capture_output=True, text=True).stdout
    for line in out.splitlines():
        m = probe_re.match(line)
        if m and (names[cid], m.group(2)) in seen:
            ts = m.group(1)
            secs = time.mktime(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
            frac = float("0." + ts[20:-1]) if "." in ts else 0.0
            lat = seen[(names[cid], m.group(2))] - (secs + frac)
            if start <= secs + frac <= deadline - 1:
                latencies.append(lat)
for cid in ids:
    if a.engine == "containerd":
        cri("stopp", pods[cid][0])
        cri("rmp", pods[cid][0])
    else:
        subprocess.run(["docker", "rm", "-f", cid], capture_output=True)
daemon.terminate()
daemon.wait(10)

latencies.sort()
p50 = latencies[len(latencies) // 2] if latencies else float("nan")
p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
readers = sorted({c.get("logReader") for c in lines["containers"]})
print(f"{a.containers} containers x {a.rate} lines/s: {total_lines} lines read by the daemon in all, through {readers}")
print(f"daemon CPU over {cpu_elapsed:.0f} s without HTTP load: {100 * cpu / cpu_elapsed:.2f}% of one core; "
      f"RSS max {rss_quiet:.1f} MiB; with /status polled every {a.poll_ms:g} ms RSS max {max(rss_samples):.1f} MiB")
print("  of which, by thread: " + ", ".join(f"{name} {100 * v / clk / cpu_elapsed:.2f}%" for v, name in busiest))
print(f"line to /status latency over {len(latencies)} probes: p50 {1000 * p50:.0f} ms, p99 {1000 * p99:.0f} ms "
      f"(includes the {a.poll_ms:g} ms poll and /status rendering)")
