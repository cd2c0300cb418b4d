#!/usr/bin/env bash
# JMH benchmark of the per-line path (split + screen + parse + track) on a realistic mix.
#   bash bench/jmh.sh [path/to/gen_log.py]
# Writes target/bench/mix.log with gen_log.py (200k lines) and runs PerLineBenchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${1:-../shared/bench/gen_log.py}
mkdir -p target/bench
[ -s target/bench/mix.log ] || python3 "$GEN" 200000 target/bench/mix.log >/dev/null
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench/cp.txt -Dmdep.includeScope=test
java -Dbench.log=target/bench/mix.log -cp "target/test-classes:target/classes:$(cat target/bench/cp.txt)" \
  org.openjdk.jmh.Main -jvmArgsAppend -Dbench.log=target/bench/mix.log PerLineBenchmark "${@:2}"
