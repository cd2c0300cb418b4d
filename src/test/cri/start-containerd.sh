#!/usr/bin/env bash
# Starts a private containerd with its CRI plugin for the Kubernetes tests, beside (not instead
# of) the Docker engine's: its own root, state, sockets and opt directory under $1. It writes
# pod logs as the kubelet asks, in the CRI format, which is what the tests read. Host-network
# sandboxes only, so no CNI is needed. Imports a busybox image built from Debian's
# busybox-static (no registry is reachable) as tritonwatch.local/busybox:1, also the sandbox image.
#   start-containerd.sh DIR   ->  prints the CRI socket path
set -euo pipefail
DIR=$(realpath -m "$1")
mkdir -p "$DIR"/{root,state,opt,cni/bin,cni/conf}
SOCK="$DIR/containerd.sock"
cat > "$DIR/config.toml" <<TOML
version = 2
root = "$DIR/root"
state = "$DIR/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$DIR/containerd.sock.ttrpc"
[debug]
  address = "$DIR/debug.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "tritonwatch.local/busybox:1"
  restrict_oom_score_adj = true
  disable_apparmor = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  max_container_log_line_size = 16384
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$DIR/cni/bin"
    conf_dir = "$DIR/cni/conf"
TOML
if ! [ -S "$SOCK" ] || ! ctr -a "$SOCK" version >/dev/null 2>&1; then
  nohup containerd --config "$DIR/config.toml" > "$DIR/containerd.log" 2>&1 &
  echo $! > "$DIR/containerd.pid"
  for _ in $(seq 1 100); do
    ctr -a "$SOCK" version >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
if ! ctr -a "$SOCK" -n k8s.io images ls -q | grep -q '^tritonwatch.local/busybox:1$'; then
  python3 "$(dirname "$0")/busybox_image.py" "$DIR/busybox.tar"
  ctr -a "$SOCK" -n k8s.io images import --no-unpack=false "$DIR/busybox.tar" >/dev/null
fi
echo "$SOCK"
