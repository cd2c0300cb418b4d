#!/usr/bin/env python3
"""The Kubernetes API client, chosen by measurement (a bench script, not a test).

    python3 bench/kube_client.py [--runs 5] [--fabric8 DIR]

Serves a pod list of 20 pods on loopback (a stub of the pods API, not an API server) and
starts, in turn, tritonwatch's own client (src/test/.../ListPodsOnce on target/classes and the
Jackson jars the daemon already ships) and fabric8's kubernetes-client 8.0.0 with its JDK HTTP
client (a small main built in DIR with its runtime jars in DIR/target/dependency), each with
the image's JVM flags. Reports, per client: JVM start to the first pod list (median), RSS after
it, and what the client adds to the jar.
"""
import argparse, glob, http.server, json, os, statistics, subprocess, threading, time

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=5)
p.add_argument("--fabric8", default="/tmp/clientbench")
a = p.parse_args()
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FLAGS = ["-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k"]

pod = {"metadata": {"name": "p", "namespace": "ns", "uid": "u", "labels": {"app": "triton"}},
       "spec": {"nodeName": "node-a", "containers": [{"name": "triton", "image": "nvcr.io/nvidia/tritonserver:24.07-py3"}]},
       "status": {"containerStatuses": [{"name": "triton", "image": "nvcr.io/nvidia/tritonserver:24.07-py3",
                                         "imageID": "x", "ready": True, "restartCount": 0, "state": {"running": {}}}]}}
items = []
for i in range(20):
    q = json.loads(json.dumps(pod))
    q["metadata"]["name"] = "p%d" % i
    q["metadata"]["uid"] = "u%d" % i
    items.append(q)
body = json.dumps({"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items}).encode()


class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d" % srv.server_address[1]


def rss_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def measure(cmd):
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.readline()
    took = time.monotonic() - t0
    time.sleep(0.3)
    rss = rss_kib(proc.pid)
    proc.kill()
    proc.wait()
    assert out.startswith("pods 20"), out
    return took, rss


jackson = [j for j in glob.glob(os.path.expanduser("~/.m2/repository/com/fasterxml/jackson/core/*/2.20*/*.jar"))
           if not j.endswith("-sources.jar")]
ours_cp = ":".join([os.path.join(root, "target", "classes"), os.path.join(root, "target", "test-classes")] + jackson)
f8_cp = ":".join([os.path.join(a.fabric8, "target", "classes")] + glob.glob(os.path.join(a.fabric8, "target", "dependency", "*.jar")))
clients = {
    "tritonwatch KubeApi (JDK HttpClient + Jackson)": ["java", *FLAGS, "-cp", ours_cp, "io.tritonwatch.kubernetes.ListPodsOnce", url, "2000"],
    "fabric8 8.0.0 + kubernetes-httpclient-jdk": ["java", *FLAGS, "-cp", f8_cp, "Fabric8List", url, "2000"],
}
results = {k: [] for k in clients}
for r in range(a.runs):
    for name, cmd in clients.items():  # alternating, one after the other
        results[name].append(measure(cmd))
ours_bytes = sum(os.path.getsize(f) for f in glob.glob(os.path.join(root, "target", "classes", "io", "tritonwatch", "kubernetes", "*.class")))
f8_jars = glob.glob(os.path.join(a.fabric8, "target", "dependency", "*.jar"))
f8_bytes = sum(os.path.getsize(f) for f in f8_jars)
cpu = open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].split(":", 1)[1].strip()
print("%d runs each, alternating; %s, %d cores" % (a.runs, cpu, os.cpu_count()))
for name, rs in results.items():
    print("%-48s start to first pod list: median %.2f s (%s); RSS after it: median %.0f MiB" % (
        name, statistics.median(t for t, _ in rs), " ".join("%.2f" % t for t, _ in rs), statistics.median(r for _, r in rs) / 1024))
print("added to the jar: tritonwatch's whole kubernetes package %.0f KiB of classes (Jackson is already in the jar); "
      "fabric8 %d jars, %.1f MiB"
      % (ours_bytes / 1024, len(f8_jars), f8_bytes / 2**20))
srv.shutdown()
