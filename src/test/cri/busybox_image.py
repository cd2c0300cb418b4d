#!/usr/bin/env python3
"""Writes a docker-archive image tar of Debian's busybox-static (/bin/busybox and its applets)
named tritonwatch.local/busybox:1, entrypoint a long sleep: it serves as the pod sandbox image
and, with a command given, as every test container."""
import hashlib, io, json, os, subprocess, sys, tarfile

out = sys.argv[1]
applets = subprocess.run(["/bin/busybox", "--list"], capture_output=True, text=True, check=True).stdout.split()
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w") as t:
    for d in ("bin", "tmp", "etc"):
        info = tarfile.TarInfo(d)
        info.type = tarfile.DIRTYPE
        info.mode = 0o1777 if d == "tmp" else 0o755
        t.addfile(info)
    t.add("/bin/busybox", arcname="bin/busybox")
    for a in applets:
        if a == "busybox":
            continue
        info = tarfile.TarInfo("bin/" + a)
        info.type = tarfile.SYMTYPE
        info.linkname = "busybox"
        t.addfile(info)
layer_bytes = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Entrypoint": ["/bin/sleep", "2147483647"], "Env": ["PATH=/bin"]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
}).encode()
config_name = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": config_name, "RepoTags": ["tritonwatch.local/busybox:1"],
                        "Layers": ["layer.tar"]}]).encode()
with tarfile.open(out, "w") as t:
    for name, data in ((config_name, config), ("layer.tar", layer_bytes), ("manifest.json", manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
