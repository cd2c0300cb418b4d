#!/usr/bin/env python3
"""Soak and churn of `tritonwatch watch` against a real Docker engine (a bounded script).

    python3 bench/soak.py [--containers 2000] [--burst 20]

In bursts of BURST at a time, containers of the test image replay real start-ups from
src/test/resources/logs (scaled down): a READY one (the seed), a failing one (001's first
start-up, exit 1), and some are restarted once. For each container the script waits until
/status shows the outcome the log has (ready / failed, restarts counted), then removes it.
At the end: no container's series left in /metrics, nothing in /status, no follower or
docker-java stream threads left, sockets back to the baseline, and the heap after a full GC
compared with the heap after a full GC before the churn (jcmd). Prints the figures; exit 1
if a check fails. Needs the image tritonwatch-test/busybox:2 (built by the integration tests).
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
p.add_argument("--containers", type=int, default=2000)
p.add_argument("--burst", type=int, default=20)
p.add_argument("--port", type=int, default=19481)
a = p.parse_args()

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
label = "tritonwatch.soak=" + uuid.uuid4().hex[:8]
base = f"http://127.0.0.1:{a.port}"


def get(path):
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return r.read().decode()


def replay_script(log, first, last, scale, tail):
    lines = open(os.path.join(root, "src/test/resources/logs", log), encoding="utf-8").read().split("\n")[first:last]
    out = ["#!/bin/sh"]
    for line in lines:
        out.append("printf '%s\\n' '" + line.replace("'", "'\\''") + "'")
    out.append(tail)
    return "\n".join(out) + "\n"


work = subprocess.check_output(["mktemp", "-d"], text=True).strip()
open(f"{work}/ready.sh", "w").write(replay_script("000-seed-triton-vllm-2.59-ready.log", 0, 100, 0, "sleep 3600"))
open(f"{work}/fail.sh", "w").write(replay_script("001-trt-tensorrt-plan-fail-then-restarts.log", 0, 95, 0, "exit 1"))
os.chmod(work, 0o755)

daemon = subprocess.Popen(["java", "-XX:+UseSerialGC", "-Xmx64m", "-jar", os.path.join(root, "target/tritonwatch.jar"),
                           "watch", "--listen", f"127.0.0.1:{a.port}", "--select-images", "", "--select-labels", label,
                           "--log-level", "warn", "--web-max-requests-per-second", "1000"])
pid = daemon.pid
for _ in range(200):
    try:
        if "ok" in get("/healthz"):
            break
    except Exception:
        time.sleep(0.1)


def heap_after_gc():
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True)
    time.sleep(0.5)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    used = sum(int(m) for m in re.findall(r"used (\d+)K", out.split("Metaspace")[0]))
    return used / 1024


def threads():
    out = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True).stdout
    names = re.findall(r'^"([^"]+)"', out, re.M)
    return sum(1 for n in names if n.startswith("follow-")), sum(1 for n in names if n.startswith("docker-java-stream")), len(names)


def sockets():
    return sum(1 for fd in os.listdir(f"/proc/{pid}/fd") if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"))


time.sleep(2)
heap0, sock0, thr0 = heap_after_gc(), sockets(), threads()
heap_mid, sock_mid = heap0, sock0
print(f"before: heap after GC {heap0:.1f} MiB, sockets {sock0}, threads {thr0}")

problems = []
t0 = time.time()
done = 0
while done < a.containers:
    batch = []
    for i in range(min(a.burst, a.containers - done)):
        n = done + i
        kind = "fail" if n % 4 == 1 else "ready"
        restart = n % 10 == 3
        cid = subprocess.check_output(["docker", "run", "-d", "--network", "none", "--label", label,
                                       "-v", f"{work}:/replay:ro", "tritonwatch-test/busybox:2", "/bin/sh",
                                       f"/replay/{kind}.sh"], text=True).strip()
        batch.append((cid, kind, restart))
    restarted = [c for c, k, r in batch if r and k == "ready"]
    deadline = time.time() + 60
    pending = {c: (k, r) for c, k, r in batch}
    restart_done = set()
    while pending and time.time() < deadline:
        st = json.loads(get("/status"))
        by_id = {c["id"]: c for c in st["containers"]}
        for cid, (kind, restart) in list(pending.items()):
            c = by_id.get(cid)
            if c is None:
                continue
            outcome = c["summary"]["outcome"]
            if kind == "ready" and outcome == "ready":
                if restart and cid not in restart_done:
                    subprocess.run(["docker", "restart", "-t", "0", cid], capture_output=True)
                    restart_done.add(cid)
                    continue
                if restart and c["restarts"] < 1:
                    continue
                del pending[cid]
            elif kind == "fail" and outcome == "failed" and c["exitCode"] == 1:
                del pending[cid]
        time.sleep(0.05)
    for cid, (kind, restart) in pending.items():
        problems.append(f"{cid[:12]} ({kind}, restart={restart}) not read right in 60 s")
    subprocess.run(["docker", "rm", "-f", *[c for c, _, _ in batch]], capture_output=True)
    done += len(batch)
    if done == 2 * a.burst:
        # After the first bursts: classes loaded, pools and meter names made. Growth is measured from here.
        time.sleep(2)
        heap_mid, sock_mid = heap_after_gc(), sockets()
        print(f"after {done} containers: heap after GC {heap_mid:.1f} MiB, sockets {sock_mid}", flush=True)
    if done % 200 == 0:
        print(f"{done} containers in {time.time() - t0:.0f} s", flush=True)

time.sleep(3)
metrics = get("/metrics")
left_series = sum(1 for line in metrics.splitlines() if not line.startswith("#") and 'container="' in line)
left_status = len(json.loads(get("/status"))["containers"])
heap1, sock1, thr1 = heap_after_gc(), sockets(), threads()
daemon.terminate()
daemon.wait(10)
print(f"{a.containers} containers ({a.containers // 4} failing, {a.containers // 10} restarted) in {time.time() - t0:.0f} s")
print(f"after: series left {left_series}, containers in /status {left_status}, "
      f"follower threads {thr1[0]}, docker-java stream threads {thr1[1]}, sockets {sock1} (before {sock0})")
print(f"heap after full GC: at start {heap0:.1f} MiB, after the first bursts {heap_mid:.1f} MiB, "
      f"at the end {heap1:.1f} MiB ({heap1 - heap_mid:+.1f} MiB since the first bursts)")
print(f"sockets: at start {sock0}, after the first bursts {sock_mid} (the HTTP client's pool), at the end {sock1}")
print(f"start-ups not read right: {len(problems)}")
for pr in problems[:20]:
    print("  ", pr)
ok = not problems and left_series == 0 and left_status == 0 and thr1[0] == 0 and thr1[1] <= 1 \
    and sock1 <= sock_mid + 2 and heap1 - heap_mid < 2
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
