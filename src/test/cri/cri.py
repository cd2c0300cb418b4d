#!/usr/bin/python3
"""A minimal CRI client for the tests: the RuntimeService calls a kubelet makes to run a pod
and its containers, over containerd's gRPC socket. Messages are written and read by hand from
the field numbers of the upstream CRI api.proto (k8s.io/cri-api, runtime.v1); only the fields
used here.

    cri.py SOCKET runp NAME UID NAMESPACE LOGDIR         -> sandbox id
    cri.py SOCKET create SANDBOX NAME UID NAMESPACE LOGDIR CONTAINER ATTEMPT IMAGE [-v HOST:PATH]... CMD...
                                                         -> container id (HOST mounted read-only at PATH)
    cri.py SOCKET start|stop|rm|reopen CONTAINER
    cri.py SOCKET status CONTAINER                       -> "STATE EXIT_CODE"
    cri.py SOCKET stopp|rmp SANDBOX
    cri.py SOCKET version
"""
import sys
import grpc

SERVICE = "/runtime.v1.RuntimeService/"


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_bytes(num, data):
    return varint(num << 3 | 2) + varint(len(data)) + data


def field_str(num, s):
    return field_bytes(num, s.encode()) if s else b""


def field_int(num, n):
    return varint(num << 3) + varint(n) if n else b""


def field_map(num, m):
    return b"".join(field_bytes(num, field_str(1, k) + field_str(2, v)) for k, v in m.items())


def decode(data):
    """Fields of a message: number -> list of ints (varints) or bytes (length-delimited)."""
    out = {}
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            v, i = read_varint(data, i)
        elif wire == 2:
            n, i = read_varint(data, i)
            v, i = data[i:i + n], i + n
        elif wire == 1:
            v, i = data[i:i + 8], i + 8
        elif wire == 5:
            v, i = data[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wire)
        out.setdefault(num, []).append(v)
    return out


def read_varint(data, i):
    n = shift = 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, i


def sandbox_config(name, uid, namespace, logdir):
    metadata = field_str(1, name) + field_str(2, uid) + field_str(3, namespace)
    # linux.security_context.namespace_options.network = NODE (2): no CNI needed.
    namespace_options = field_int(1, 2)
    security = field_bytes(1, namespace_options)
    linux = field_bytes(2, security)
    # No hostname: a sandbox on the node's network has none of its own.
    return (field_bytes(1, metadata) + field_str(3, logdir)
            + field_map(6, {"io.kubernetes.pod.name": name}) + field_bytes(8, linux))


def call(channel, method, request):
    fn = channel.unary_unary(SERVICE + method, request_serializer=lambda b: b, response_deserializer=lambda b: b)
    return decode(fn(request, timeout=60))


def main(argv):
    sock, cmd, args = argv[1], argv[2], argv[3:]
    with grpc.insecure_channel("unix://" + sock) as ch:
        if cmd == "version":
            r = call(ch, "Version", field_str(1, "v1"))
            print(" ".join(v.decode() for k in (2, 3, 4) for v in r.get(k, [])))
        elif cmd == "runp":
            name, uid, ns, logdir = args
            r = call(ch, "RunPodSandbox", field_bytes(1, sandbox_config(name, uid, ns, logdir)))
            print(r[1][0].decode())
        elif cmd == "create":
            sandbox, name, uid, ns, logdir, container, attempt, image = args[:8]
            rest = args[8:]
            mounts = b""
            while len(rest) >= 2 and rest[0] == "-v":
                host, inside = rest[1].split(":", 1)
                mounts += field_bytes(7, field_str(1, inside) + field_str(2, host) + field_int(3, 1))
                rest = rest[2:]
            command = rest
            metadata = field_str(1, container) + field_int(2, int(attempt))
            config = (field_bytes(1, metadata) + field_bytes(2, field_str(1, image))
                      + b"".join(field_str(3, c) for c in command) + mounts
                      + field_str(11, "%s/%s.log" % (container, attempt)))
            r = call(ch, "CreateContainer", field_str(1, sandbox) + field_bytes(2, config)
                     + field_bytes(3, sandbox_config(name, uid, ns, logdir)))
            print(r[1][0].decode())
        elif cmd in ("start", "rm", "reopen"):
            method = {"start": "StartContainer", "rm": "RemoveContainer", "reopen": "ReopenContainerLog"}[cmd]
            call(ch, method, field_str(1, args[0]))
        elif cmd == "stop":
            call(ch, "StopContainer", field_str(1, args[0]) + field_int(2, 1))
        elif cmd == "status":
            r = call(ch, "ContainerStatus", field_str(1, args[0]))
            st = decode(r[1][0])
            state = st.get(3, [0])[0]
            code = st.get(7, [0])[0]
            if code >= 1 << 63:
                code -= 1 << 64
            print(["CREATED", "RUNNING", "EXITED", "UNKNOWN"][state], code)
        elif cmd in ("stopp", "rmp"):
            call(ch, "StopPodSandbox" if cmd == "stopp" else "RemovePodSandbox", field_str(1, args[0]))
        else:
            raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
