#!/usr/bin/env bash
# Where the daemon's CPU goes under load, without any HTTP traffic: starts `watch` through
# bin/tritonwatch, N containers each printing RATE Triton per-request lines a second (in
# bursts every 100 ms), waits for them to settle, then samples /proc for 10 s: user and
# system CPU, context switches, per-thread CPU ticks and the resident set.
#
#   bash bench/thread_cpu.sh [CONTAINERS] [RATE]      e.g. bash bench/thread_cpu.sh 20 500
#
# SETTLE=seconds (default 8) is how long the containers run before the 10 s are sampled; the
# client compiler is still compiling for the first half minute or so.
#
# Needs a running Docker engine and the image tritonwatch-test/busybox:2 (the integration
# tests build it). JAVA_OPTS is passed on to the launcher.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
RATE=${2:-500}
burst=$((RATE / 10))
label="tritonwatch.bench=$RANDOM$RANDOM"
bin/tritonwatch watch --listen 127.0.0.1:0 --select-images "" --select-labels "$label" --log-level warn &
pid=$!
trap 'docker rm -f $(docker ps -aq --filter "label=$label") >/dev/null 2>&1 || true; kill $pid 2>/dev/null || true' EXIT
sleep 2
noise='I0720 11:06:38.965050 1 infer_request.cc:131] "[request id: <id_unknown>] Setting state from PENDING to EXECUTING"'
script="while true; do i=0; while [ \$i -lt $burst ]; do printf '%s\n' '$noise'; i=\$((i+1)); done; usleep 100000; done"
for _ in $(seq "$N"); do
  docker run -d --network none --label "$label" tritonwatch-test/busybox:2 /bin/sh -c "$script" >/dev/null
done
sleep "${SETTLE:-8}"
stat() { awk -v f="$1" '{print $f}' "/proc/$pid/stat"; }
switches() { cat /proc/"$pid"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
declare -A before
for t in /proc/"$pid"/task/*; do before[$(basename "$t")]=$(awk '{print $14 + $15}' "$t/stat"); done
u0=$(stat 14); s0=$(stat 15); c0=$(switches)
sleep 10
u1=$(stat 14); s1=$(stat 15); c1=$(switches)
hz=$(getconf CLK_TCK)
echo "$N containers x $RATE lines/s, 10 s without HTTP load:"
echo "  user $(echo "100 * ($u1 - $u0) / $hz / 10" | bc -l | xargs printf '%.1f')% of a core," \
  "system $(echo "100 * ($s1 - $s0) / $hz / 10" | bc -l | xargs printf '%.1f')%," \
  "$(( (c1 - c0) / 10 )) context switches/s, $(awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' /proc/$pid/status) resident"
echo "  busiest threads (CPU ticks of 1/$hz s in the 10 s):"
for t in /proc/"$pid"/task/*; do
  n=$(basename "$t")
  echo "$(( $(awk '{print $14 + $15}' "$t/stat") - ${before[$n]:-0} )) $(cat "$t/comm")"
done | sort -rn | awk '$1 > 0' | head -5 | sed 's/^/    /'
