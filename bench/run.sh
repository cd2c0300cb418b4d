#!/usr/bin/env bash
# Whole-process comparison on one machine, in one run: tritonwatch analyze (through its
# launcher, bin/tritonwatch, after one unmeasured run that writes its class-data archive) vs
# mtail (the peer) vs the JVM only reading lines (the floor, -XX:+UseSerialGC -Xmx64m), RUNS
# times each in turn, medians and ratios, peak RSS, and the correctness of tritonwatch's answer
# against the generator's truth.
#
#   bash bench/run.sh [LINES...]          e.g. bash bench/run.sh 1000000 10000000
#
# Needs: python3, mtail (Debian package), GNU time, a JDK; builds the jar if missing.
# The generated logs go to bench/out/ (ignored by git): they are large.
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_log.py}
MTAIL_PROG=${MTAIL_PROG:-../shared/bench/triton.mtail}
RUNS=${RUNS:-3}
JVM_FLAGS=(-XX:+UseSerialGC -Xmx64m) # the floor's
OUT=bench/out
mkdir -p "$OUT"
[ -f target/tritonwatch.jar ] || mvn -B -q -DskipTests package
javac -d "$OUT" bench/LineCount.java

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() { # name, then the command; appends "seconds rss_kb" of one run to $OUT/$name.times
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/$name.one" "$@" > "$OUT/$name.stdout" 2> "$OUT/$name.stderr" || true
  cat "$OUT/$name.one" >> "$OUT/$name.times"
}

# The archive is written by the first analyze that reads a log, whichever; this one is written
# here from the bench's own log (one from a one-line log leaves 70 classes to the jar).
rm -f target/tritonwatch-analyze.jsa
printf '\n%s, %s cores, %s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)" "$(java -version 2>&1 | head -1)"
printf '%-10s %-12s %10s %12s %10s\n' lines program seconds lines/s peakRSS_MiB
for LINES in "${@:-1000000}"; do
  LOG="$OUT/triton-$LINES.log"
  [ -s "$LOG" ] || python3 "$GEN" "$LINES" "$LOG" > /dev/null
  # As users run it: the launcher, with its flags and class-data archive (made by this first run).
  bin/tritonwatch analyze --format json "$LOG" > /dev/null || true
  # The three take turns, run after run: this machine's speed drifts over minutes (a 10M mtail
  # run alone takes two), and a drift must reach all three alike, not only the one measured then.
  for p in tritonwatch mtail floor; do : > "$OUT/$p.times"; done
  for _ in $(seq "$RUNS"); do
    measure tritonwatch bin/tritonwatch analyze --format json "$LOG"
    measure mtail mtail --one_shot --one_shot_format prometheus --progs "$MTAIL_PROG" --logs "$LOG"
    measure floor java "${JVM_FLAGS[@]}" -cp "$OUT" LineCount "$LOG"
  done
  cp "$OUT/tritonwatch.stdout" "$OUT/triton-$LINES.json"
  declare -A secs rss
  for p in tritonwatch mtail floor; do
    secs[$p]=$(awk '{print $1}' "$OUT/$p.times" | median)
    rss[$p]=$(awk '{print $2}' "$OUT/$p.times" | median)
    printf '%-10s %-12s %10.2f %12.0f %10.1f\n' "$LINES" "$p" "${secs[$p]}" \
      "$(echo "$LINES / ${secs[$p]}" | bc -l)" "$(echo "${rss[$p]} / 1024" | bc -l)"
  done
  printf '%-10s ratios: tritonwatch/mtail speed %.1fx, tritonwatch/floor speed %.0f%%, RSS tritonwatch/floor %.2f\n' \
    "$LINES" "$(echo "${secs[mtail]} / ${secs[tritonwatch]}" | bc -l)" \
    "$(echo "100 * ${secs[floor]} / ${secs[tritonwatch]}" | bc -l)" "$(echo "${rss[tritonwatch]} / ${rss[floor]}" | bc -l)"
  # Each round's own ratios: how far one run's answer can move on this machine.
  printf '%-10s each round: x mtail %s; %% of floor %s\n' "$LINES" \
    "$(paste -d' ' "$OUT/tritonwatch.times" "$OUT/mtail.times" | awk '{printf "%.1f ", $3 / $1}')" \
    "$(paste -d' ' "$OUT/tritonwatch.times" "$OUT/floor.times" | awk '{printf "%.0f ", 100 * $3 / $1}')"
  python3 bench/check_expected.py "$OUT/triton-$LINES.json" "$LOG.expected.json" | tail -1
  unset secs rss
done
