#!/usr/bin/env python3
"""CPU a container health check costs, per run: the image's shell check of the health file
against a JVM asking /healthz (what the image did before). Starts a daemon from the built jar
(no Docker needed: it serves and writes its health file either way) and runs each check N times.

    python3 bench/healthcheck_cost.py [N]      (after mvn package; prints CPU ms per check)
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

JAR = os.path.join(os.path.dirname(__file__), "..", "target", "tritonwatch.jar")
SHELL_CHECK = ('f=$TRITONWATCH_HEALTH_FILE; [ "$(cat "$f")" = ok ] && '
               '[ $(( $(date +%s) - $(stat -c %Y "$f") )) -le 20 ]')


def cpu_of(cmd, n, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    codes = set()
    for _ in range(n):
        codes.add(subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu / n * 1000, wall / n * 1000, codes


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    tmp = tempfile.mkdtemp(prefix="tw-health-")
    health = os.path.join(tmp, "health")
    port = 19469
    env = dict(os.environ, TRITONWATCH_HEALTH_FILE=health, TRITONWATCH_LISTEN=f"127.0.0.1:{port}")
    # A docker host that answers nothing: the daemon serves and writes "not connected"; the
    # checks then exit 1, which costs them the same. A file saying ok is also measured.
    daemon = subprocess.Popen(["java", "-XX:+UseSerialGC", "-Xmx64m", "-jar", JAR, "watch",
                               "--docker-host", "unix:///tmp/tritonwatch-no-such.sock"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(health) and time.monotonic() < deadline:
            time.sleep(0.1)
        jvm = cpu_of(["java", "-XX:+UseSerialGC", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-cp", JAR,
                      "io.tritonwatch.cli.Main", "healthcheck", "--listen", f"127.0.0.1:{port}"], n, env)
        shell = cpu_of(["sh", "-c", SHELL_CHECK], n, env)
        ok_file = os.path.join(tmp, "ok")
        with open(ok_file, "w") as f:
            f.write("ok\n")
        shell_ok = cpu_of(["sh", "-c", SHELL_CHECK], n, dict(env, TRITONWATCH_HEALTH_FILE=ok_file))
    finally:
        daemon.terminate()
        daemon.wait()
    print(f"runs: {n} each")
    print(f"JVM asking /healthz: {jvm[0]:.1f} ms CPU, {jvm[1]:.1f} ms wall per check (exit codes {sorted(jvm[2])})")
    print(f"shell check of the health file: {shell[0]:.2f} ms CPU, {shell[1]:.2f} ms wall "
          f"(exit codes {sorted(shell[2])}); on a file saying ok: {shell_ok[0]:.2f} ms CPU (exit {sorted(shell_ok[2])})")
    print(f"ratio: the JVM check costs {jvm[0] / max(shell[0], 0.001):.0f}x the shell check; "
          f"every 5 s that is {jvm[0] / 5000 * 100:.1f}% of a core against {shell[0] / 5000 * 100:.3f}%")


if __name__ == "__main__":
    main()
