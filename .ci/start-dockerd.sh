#!/usr/bin/env bash
# Starts a Docker engine for the integration tests if none answers. No bridge, no iptables:
# test containers run with --network none (or host, for loopback), so the engine needs no
# network of its own and touches no addresses outside this machine. --live-restore keeps
# containers running while the engine restarts, which the reconnect test relies on.
set -euo pipefail
if docker version >/dev/null 2>&1; then
  exit 0
fi
mkdir -p /var/log
nohup dockerd --bridge=none --iptables=false --ip-masq=false --live-restore \
  --host=unix:///var/run/docker.sock >/var/log/tritonwatch-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker version >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "dockerd did not start; its log:" >&2
tail -50 /var/log/tritonwatch-dockerd.log >&2
exit 1
