#!/usr/bin/env python3
"""TLS benchmark of Rampart's TLS engine in the lab, with Squid's ssl-bump and no interception as the
references, measured in one run on the same machine, certificates and server.

`make bench` runs it after the packet-path benchmark:

    python3 scripts/tls-bench.py --bin-dir .build/release

It needs root, the release binaries `rampart` and `rampart-worker`, and Debian's `nginx-light`,
`squid-openssl`, `openssl` and `curl` (the Makefile's `deps` installs them). What it does:

1. Makes ECDSA P-256 certificates in a fresh temporary directory: an inspection CA, a server CA (the
   control plane trusts it through `--upstream-trust-bundle`) and a leaf for `bench.test` it issued.
2. Starts a control plane on a free loopback port, creates two policies (one without TLS inspection,
   one with a TLS inspection configuration scoped to TCP port 443, no revocation checking, and one
   HTTP rule that never matches), a firewall on the first, and `rampart lab up` with one worker under
   a unique prefix. Starts nginx in the server namespace (198.19.0.2:443: `/` answers a few bytes,
   `/1m` is a 1 MiB object, keep-alive, no TLS session resumption so every handshake is full).
3. Measures three configurations over the same lab:
   - direct:  no interception; TLS goes straight through the firewall namespace (the worker sees the
              SYN through NFQUEUE and lets the flow through);
   - squid:   Squid ssl-bump (`peek step1`, then `bump all`) in the firewall namespace on a TPROXY
              port, signing with the same inspection CA and trusting the same server CA; a TPROXY rule
              the bench inserts before Rampart's chain sends the client's port-443 traffic to Squid;
   - rampart: the firewall's policy switched to the one with TLS inspection; Rampart's worker
              intercepts (NFQUEUE on the SYN, TPROXY to its TLS engine).
   Direct is measured first, on the policy without TLS inspection. Squid and Rampart are then measured
   interleaved, with the inspecting policy in force and Squid's rule put in place only for Squid's
   steps: each round of the connection-rate and bulk runs goes through both, in ABBA order. The
   machine's speed drifts by tens of percent over minutes and both proxies move with it, so measuring
   them at the same moments is what makes their ratio, on which the verdict rests, comparable.
   For each: new TLS connections per second (concurrent clients, a full handshake and one small
   request per connection), the firewall's CPU time per new connection (utime + stime from /proc of
   the worker, resp. of Squid and its helpers, before and after each of `--rate-rounds` rounds; the
   median round is reported, so that one round disturbed by other work does not decide; nine rounds by
   default, because a single round of either proxy varies by about ±15% and the median of five still
   moved their ratio by about ±0.01 from run to run), p50/p99 latency of one request on a
   new connection at one connection at a time (for squid and rampart also interleaved, connection by
   connection, with connections to port 8443 of the same server, which nothing intercepts: the added
   latency measured at the same moments, free of the drift between runs), and bulk MB/s (10^6 bytes/s)
   fetching the 1 MiB object repeatedly over one keep-alive connection with curl, in `--bulk-rounds` rounds of a
   new connection each, the median round reported. Clients verify the certificate: against the server CA
   for direct, against the inspection CA only for squid and rampart (so an answer proves interception).
   Each configuration's clients use their own range of source ports (see CLIENT_PORTS).
4. Prints a table and the issue's targets, and tears everything down (processes it started by pid,
   the iptables rule it added, the lab, the temporary directory) on success, failure or Ctrl-C.

Every load loop is bounded in count and in time. Traffic goes only to lab addresses (198.18.0.0/15)
and loopback. Numbers on a shared machine are indicative: the client, nginx and the firewall share
its cores, so connections/s is a whole-system figure; CPU per connection is the firewall's own, and
"at one full core" turns it into the rate one core would sustain. The table ends with the CPU
pressure other work put on the machine before the bench started.

`--perf DIR` also records the worker with `perf record -g` during Rampart's connection-rate and bulk
runs and writes `perf report` summaries into DIR (the recording costs the worker a few percent).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SERVER_ADDRESS = "198.19.0.2"
SERVER_NAME = "bench.test"
# Rampart's TLS diversion mark and policy route (Sources/Shared/Netfilter): the Squid run's TPROXY
# rule sets the same mark so that the lab's policy route delivers its packets locally.
DIVERT_MARK = "0x08000000/0x08000000"
SQUID_TPROXY_PORT = 3129
# nginx also answers here; no configuration intercepts this port, so connections to it are the reference
# the interleaved latency run compares each intercepted connection with.
REFERENCE_PORT = 8443
# Each configuration's clients use their own source ports. The worker remembers a flow it offloaded
# (the kernel forwards the rest of it) until the flow's idle timeout, and when the policy changes to
# one with a TLS scope, a SYN that reuses the ports of such a flow is dropped ("tls inspection: flow
# not diverted at its start"), so a Rampart run after a direct run on the same ports would meet
# connection timeouts. `--shared-ports` keeps the system's single range, to show that.
CLIENT_PORTS = {"direct": (10000, 19999), "squid": (20000, 29999), "rampart": (30000, 60999)}
BULK_OBJECT_BYTES = 1 << 20
SMALL_BODY = "ok\n"

# The targets and Squid's reference figures measured when the issue was written.
TARGET_CPU_MS = 1.0
TARGET_ADDED_LATENCY_MS = 1.0
TARGET_BULK_MBPS = 500.0
SQUID_REFERENCE_CPU_MS = 4.1
SQUID_REFERENCE_ADDED_LATENCY_MS = 5.0
SQUID_REFERENCE_BULK_MBPS = 173.0
# The same targets as ratios against Squid measured in the same run: what the verdict rests on, since
# a run's absolute figures move with whatever else the machine does, and both configurations move alike.
TARGET_CPU_RATIO = TARGET_CPU_MS / SQUID_REFERENCE_CPU_MS
TARGET_ADDED_LATENCY_RATIO = TARGET_ADDED_LATENCY_MS / SQUID_REFERENCE_ADDED_LATENCY_MS
TARGET_BULK_RATIO = TARGET_BULK_MBPS / SQUID_REFERENCE_BULK_MBPS


# ---------------------------------------------------------------------------------------------
# The client: runs inside the client namespace (`tls-bench.py client MODE …`), prints one JSON line.
# ---------------------------------------------------------------------------------------------

def client_context(cafile):
    context = ssl.create_default_context(cafile=cafile)
    context.set_alpn_protocols(["http/1.1"])
    return context


def read_response(tls, buffer, view):
    """Reads one HTTP/1.1 response with Content-Length; returns (status, body bytes, leftover)."""
    head = b""
    while b"\r\n\r\n" not in head:
        n = tls.recv_into(buffer)
        if n == 0:
            raise ConnectionError("connection closed before the response headers")
        head += bytes(view[:n])
        if len(head) > 65536:
            raise ConnectionError("response headers too long")
    header, _, rest = head.partition(b"\r\n\r\n")
    lines = header.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        raise ConnectionError("response without Content-Length")
    received = len(rest)
    leftover = b""
    if received > length:
        leftover = rest[length:]
        received = length
    while received < length:
        n = tls.recv_into(buffer, min(len(buffer), length - received))
        if n == 0:
            raise ConnectionError("connection closed in the middle of the body")
        received += n
    return status, received, leftover


def one_connection(context, address, port, path, timeout, negotiated=None):
    """A new TCP + TLS connection, one request with `Connection: close`; returns the seconds taken.
    `negotiated`, a dict, receives the TLS version, cipher and the certificate's issuer."""
    buffer = bytearray(65536)
    view = memoryview(buffer)
    start = time.perf_counter()
    raw = socket.create_connection((address, port), timeout=timeout)
    try:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        tls = context.wrap_socket(raw, server_hostname=SERVER_NAME)
        tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {SERVER_NAME}\r\nConnection: close\r\n\r\n".encode())
        status, _, _ = read_response(tls, buffer, view)
        if status != 200:
            raise ConnectionError(f"HTTP status {status}")
        elapsed = time.perf_counter() - start
        if negotiated is not None:
            issuer = dict(pair[0] for pair in tls.getpeercert().get("issuer", ()))
            negotiated.update(version=tls.version(), cipher=tls.cipher()[0], issuer=issuer.get("commonName"))
    finally:
        raw.close()
    return elapsed


def client_rate(args):
    """`--concurrency` processes each open new connections back to back until the deadline or their
    share of `--max-connections`."""
    deadline = time.monotonic() + args.seconds
    share = max(1, args.max_connections // args.concurrency)
    children = []
    for _ in range(args.concurrency):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            context = client_context(args.cafile)
            done = failed = 0
            first_error = None
            while done + failed < share and time.monotonic() < deadline:
                try:
                    one_connection(context, args.address, args.port, args.path, args.timeout)
                    done += 1
                except (OSError, ssl.SSLError, ConnectionError, ValueError) as error:
                    failed += 1
                    first_error = first_error or repr(error)
                    time.sleep(0.01)
            os.write(write_end, json.dumps({"done": done, "failed": failed, "error": first_error}).encode())
            os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    start = time.monotonic()
    results = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        results.append(json.loads(data) if data else {"done": 0, "failed": 0, "error": "client process died"})
    elapsed = time.monotonic() - start
    errors = [r["error"] for r in results if r["error"]]
    print(json.dumps({
        "connections": sum(r["done"] for r in results), "failed": sum(r["failed"] for r in results),
        "seconds": elapsed, "error": errors[0] if errors else None,
    }))


def sequential(args, attempt):
    """Calls `attempt()` one call at a time until `--count` calls or `--seconds`; returns what the calls that
    succeeded returned, how many failed and the first error."""
    deadline = time.monotonic() + args.seconds
    results = []
    failed = 0
    first_error = None
    while len(results) + failed < args.count and time.monotonic() < deadline:
        try:
            results.append(attempt())
        except (OSError, ssl.SSLError, ConnectionError, ValueError) as error:
            failed += 1
            first_error = first_error or repr(error)
            time.sleep(0.01)
    return results, failed, first_error


def client_latency(args):
    """One connection at a time: `--count` requests (or until `--seconds`), each on a new connection."""
    context = client_context(args.cafile)
    negotiated = {}
    samples, failed, first_error = sequential(args, lambda: one_connection(
        context, args.address, args.port, args.path, args.timeout, None if negotiated else negotiated))
    print(json.dumps({"samples": samples, "failed": failed, "error": first_error, "negotiated": negotiated}))


def client_paired(args):
    """Latency interleaved with a reference: `--count` pairs of new connections, one to `--port` (through the
    configuration measured) and one to `--reference-port` (not intercepted, verified against
    `--reference-cafile`), the order alternating pair by pair, so that both see the same moment's load."""
    context = client_context(args.cafile)
    reference = client_context(args.reference_cafile)
    pairs = 0

    def pair():
        nonlocal pairs
        measure = lambda: one_connection(context, args.address, args.port, args.path, args.timeout)
        refer = lambda: one_connection(reference, args.address, args.reference_port, args.path, args.timeout)
        if pairs % 2 == 0:
            measured, referenced = measure(), refer()
        else:
            referenced, measured = refer(), measure()
        pairs += 1
        return measured, referenced

    results, failed, first_error = sequential(args, pair)
    print(json.dumps({"samples": [m for m, _ in results], "references": [r for _, r in results],
                      "failed": failed, "error": first_error}))


def client_bulk(args):
    """One keep-alive connection fetching `--path` repeatedly until `--seconds` or `--count` objects, with
    curl: a C client reading with OpenSSL, so that the client's own cost weighs as little as it can on
    the cores it shares with the firewall and the server (a Python loop of SSL reads did). curl fetches
    the URLs of a glob one after the other over the connection it keeps; each transfer's size, status
    and connection count go to stderr as it ends, the bodies to /dev/null. The first object is a
    warm-up (slow start, first write paths): the clock starts when it ends, and stops when the last
    object within `--seconds` ends."""
    url = f"https://{SERVER_NAME}:{args.port}{args.path}?n=[0-{args.count}]"
    command = ["curl", "--silent", "--show-error", "--http1.1", "--cacert", args.cafile,
               "--resolve", f"{SERVER_NAME}:{args.port}:{args.address}", "--connect-timeout", str(args.timeout),
               "--write-out", "%{stderr}%{http_code} %{size_download} %{num_connects}\\n", "--output", "/dev/null", url]
    curl = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    objects = received = connects = 0
    error = None
    start = last = None
    deadline = time.monotonic() + args.seconds + 5
    try:
        for line in curl.stderr:
            now = time.perf_counter()
            fields = line.split()
            if len(fields) != 3 or not all(field.isdigit() for field in fields):
                error = f"curl: {line.strip()}"
                break
            status, size, connected = map(int, fields)
            if status != 200 or size != BULK_OBJECT_BYTES:
                error = f"unexpected response: status {status}, {size} bytes"
                break
            connects += connected
            if start is None:
                start = now  # the warm-up object ended
            else:
                objects += 1
                received += size
                last = now
            if now - start >= args.seconds or time.monotonic() > deadline:
                break
    finally:
        curl.kill()
        curl.wait()
    if connects > 1:
        error = error or f"curl opened {connects} connections, not one"
    elapsed = (last - start) if last is not None else 0.0
    print(json.dumps({"objects": objects, "bytes": received, "seconds": elapsed, "error": error}))


def client_main(argv):
    parser = argparse.ArgumentParser(prog="tls-bench.py client")
    parser.add_argument("mode", choices=["rate", "latency", "paired", "bulk"])
    parser.add_argument("--address", default=SERVER_ADDRESS)
    parser.add_argument("--port", type=int, default=443)
    parser.add_argument("--reference-port", type=int, default=REFERENCE_PORT)
    parser.add_argument("--reference-cafile")
    parser.add_argument("--path", default="/")
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--max-connections", type=int, default=200000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=10)
    args = parser.parse_args(argv)
    {"rate": client_rate, "latency": client_latency, "paired": client_paired, "bulk": client_bulk}[args.mode](args)


# ---------------------------------------------------------------------------------------------
# The orchestration.
# ---------------------------------------------------------------------------------------------

class BenchError(Exception):
    pass


def log(message):
    print(f"tls-bench: {message}", file=sys.stderr, flush=True)


def run(command, check=True, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        raise BenchError(f"`{' '.join(command)}` failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return result


def cpu_seconds(pids):
    """utime + stime of `pids` (all threads of each), in seconds; a vanished pid counts 0."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def descendants(pid):
    """`pid` and every process below it."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def cpu_pressure():
    """The share of the last 60 s in which some runnable task waited for a CPU (Linux PSI), or None."""
    try:
        with open("/proc/pressure/cpu") as pressure:
            fields = dict(f.split("=") for f in pressure.readline().split()[1:])
        return float(fields["avg60"])
    except (OSError, KeyError, ValueError):
        return None


def start_time(pid):
    """When `pid` started (clock ticks since boot), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(samples, fraction):
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Bench:
    def __init__(self, args):
        self.args = args
        self.bin_dir = os.path.abspath(args.bin_dir)
        self.script = os.path.abspath(__file__)
        self.prefix = args.prefix or f"tlsb{os.getpid()}"
        self.client_ns = f"{self.prefix}-client"
        self.fw_ns = f"{self.prefix}-fw"
        self.server_ns = f"{self.prefix}-server"
        self.work = None
        self.processes = {}  # name → Popen, stopped in reverse order of start
        self.iptables_added = []  # rules to delete, as argument lists after `-D`
        self.lab_up = False
        self.token = None
        self.api_base = None
        self.results = {}
        self.pressure_before = cpu_pressure()

    # -- set-up ---------------------------------------------------------------------------------

    def check_requirements(self):
        if os.geteuid() != 0:
            raise BenchError("needs root (network namespaces, iptables, TPROXY)")
        for binary in ("rampart", "rampart-worker"):
            if not os.access(os.path.join(self.bin_dir, binary), os.X_OK):
                raise BenchError(f"{self.bin_dir}/{binary} is missing: build with `swift build -c release`")
        needed = ["ip", "openssl", "nginx", "iptables-legacy", "curl"]
        if "squid" in self.args.configs:
            needed += ["squid"]
        if self.args.perf:
            needed += ["perf"]
        for tool in needed:
            if shutil.which(tool) is None:
                raise BenchError(f"`{tool}` is not installed (`make deps` installs the bench's Debian packages)")
        if "squid" in self.args.configs and not os.access(self.args.squid_certgen, os.X_OK):
            raise BenchError(f"{self.args.squid_certgen} is missing: install Debian's squid-openssl")

    def make_work_dir(self):
        self.work = tempfile.mkdtemp(prefix="rampart-tls-bench-")
        # Squid's helpers run as the proxy user and must reach their files under here.
        os.chmod(self.work, 0o755)
        log(f"work directory {self.work}, lab prefix {self.prefix}")

    def make_certificates(self):
        w = self.work
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        ca_ext = ["-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        for name, subject in (("ica", "Rampart Bench Inspection CA"), ("sca", "Rampart Bench Server CA")):
            run(["openssl", "req", "-x509", *ec, "-keyout", f"{w}/{name}.key", "-out", f"{w}/{name}.pem",
                 "-subj", f"/CN={subject}", "-days", "2", *ca_ext])
        run(["openssl", "req", *ec, "-keyout", f"{w}/leaf.key", "-out", f"{w}/leaf.csr", "-subj", f"/CN={SERVER_NAME}"])
        with open(f"{w}/leaf.ext", "w") as ext:
            ext.write(f"subjectAltName=DNS:{SERVER_NAME}\nbasicConstraints=CA:false\n"
                      "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
        run(["openssl", "x509", "-req", "-in", f"{w}/leaf.csr", "-CA", f"{w}/sca.pem", "-CAkey", f"{w}/sca.key",
             "-CAcreateserial", "-out", f"{w}/leaf.pem", "-days", "1", "-extfile", f"{w}/leaf.ext"])
        for name in ("ica", "sca", "leaf"):
            os.chmod(f"{w}/{name}.key", 0o600)

    def start(self, name, command, log_name, **kwargs):
        log_file = open(os.path.join(self.work, log_name), "ab")
        self.processes[name] = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs
        )
        log_file.close()
        return self.processes[name]

    # The control plane is on loopback: never through a proxy from the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def api(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api_base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(request, timeout=10) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise BenchError(f"{method} {path}: HTTP {error.code}: {error.read().decode(errors='replace')}") from None

    def start_control_plane(self):
        port = self.args.port or free_port()
        state = os.path.join(self.work, "state")
        os.makedirs(state)
        self.api_base = f"http://127.0.0.1:{port}"
        self.start("control plane", [
            f"{self.bin_dir}/rampart", "serve", "--state-dir", state, "--listen", f"127.0.0.1:{port}",
            "--upstream-trust-bundle", f"{self.work}/sca.pem",
        ], "rampart.log")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.processes["control plane"].poll() is not None:
                raise BenchError(f"the control plane exited; see {self.work}/rampart.log")
            try:
                with self.opener.open(self.api_base + "/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise BenchError("the control plane did not answer /healthz within 20 s")
        with open(os.path.join(state, "admin.token")) as token:
            self.token = token.read().strip()

    def configure(self):
        with open(f"{self.work}/ica.pem") as cert, open(f"{self.work}/ica.key") as key:
            ca = self.api("POST", "/v1/certificates", {"Certificate": cert.read(), "PrivateKey": key.read()})
        tls = self.api("POST", "/v1/tls-inspection-configurations", {
            "TLSInspectionConfigurationName": "bench-egress",
            "TLSInspectionConfiguration": {"ServerCertificateConfigurations": [{
                "CertificateAuthorityArn": ca["CertificateArn"],
                "Scopes": [{"Protocols": [6], "DestinationPorts": [{"FromPort": 443, "ToPort": 443}]}],
            }]},
        })
        tls_arn = tls["TLSInspectionConfigurationResponse"]["TLSInspectionConfigurationArn"]
        # A trivial rule set that still makes the engine parse and evaluate the decrypted HTTP.
        group = self.api("POST", "/v1/rule-groups", {
            "RuleGroupName": "bench-web", "Type": "STATEFUL", "Capacity": 10,
            "RuleGroup": {"RulesSource": {"RulesString":
                'drop http $HOME_NET any -> any any (msg:"bench: never requested"; http.uri; '
                'content:"/never-requested"; sid:1; rev:1;)'}},
        })
        group_arn = group["RuleGroupResponse"]["RuleGroupArn"]
        base = {
            "StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
            "PolicyVariables": {"RuleVariables": {"HOME_NET": {"Definition": ["198.18.0.0/24"]}}},
        }
        plain = self.api("POST", "/v1/firewall-policies", {"FirewallPolicyName": "bench-plain", "FirewallPolicy": base})
        inspect = self.api("POST", "/v1/firewall-policies", {"FirewallPolicyName": "bench-inspect", "FirewallPolicy": {
            **base, "StatefulRuleGroupReferences": [{"ResourceArn": group_arn}], "TLSInspectionConfigurationArn": tls_arn,
        }})
        self.plain_policy = plain["FirewallPolicyResponse"]["FirewallPolicyArn"]
        self.inspect_policy = inspect["FirewallPolicyResponse"]["FirewallPolicyArn"]
        self.api("POST", "/v1/firewalls", {"FirewallName": "bench", "FirewallPolicyArn": self.plain_policy})

    def start_lab(self):
        self.lab_up = True  # `lab down` is safe on a partial lab
        result = run([
            f"{self.bin_dir}/rampart", "lab", "up", "--prefix", self.prefix, "--control", f"{self.work}/state/rampart.sock",
            "--firewall", "bench", "--workers", "1", "--run-dir", f"{self.work}/lab",
        ], check=False)
        if result.returncode != 0:
            raise BenchError(f"rampart lab up failed: {result.stderr.strip() or result.stdout.strip()}")
        with open(f"{self.work}/lab/workers.pid") as pids:
            self.worker_pid = int(pids.read().split()[0])
        self.wait_in_sync(self.plain_policy)

    def wait_in_sync(self, policy_arn, seconds=30):
        deadline = time.monotonic() + seconds
        status = None
        while time.monotonic() < deadline:
            firewall = self.api("GET", "/v1/firewalls/bench")
            status = firewall["FirewallStatus"]
            states = status.get("SyncStates", {})
            if status.get("ConfigurationSyncStateSummary") == "IN_SYNC" and states and all(
                state.get("Config", {}).get(policy_arn, {}).get("SyncStatus") == "IN_SYNC" for state in states.values()
            ):
                return
            time.sleep(0.2)
        raise BenchError(f"the worker did not apply {policy_arn} within {seconds} s: {json.dumps(status)}")

    def start_nginx(self):
        w = self.work
        os.makedirs(f"{w}/nginx/www")
        with open(f"{w}/nginx/www/1m", "wb") as big:
            big.write(os.urandom(BULK_OBJECT_BYTES))
        with open(f"{w}/nginx/nginx.conf", "w") as conf:
            conf.write(f"""daemon off;
master_process off;
worker_processes 1;
pid {w}/nginx/nginx.pid;
error_log {w}/nginx/error.log warn;
worker_rlimit_nofile 65536;
events {{ worker_connections 16384; }}
http {{
    # What each configuration negotiated toward the server, summarised after each run.
    log_format bench '$ssl_protocol $ssl_cipher $ssl_curve';
    log_format ports '$remote_addr $remote_port';
    access_log {w}/nginx/access.log bench buffer=256k flush=1s;
    access_log {w}/nginx/ports.log ports buffer=256k flush=1s;
    client_body_temp_path {w}/nginx/body;
    proxy_temp_path {w}/nginx/proxy;
    fastcgi_temp_path {w}/nginx/fastcgi;
    uwsgi_temp_path {w}/nginx/uwsgi;
    scgi_temp_path {w}/nginx/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    server {{
        listen {SERVER_ADDRESS}:443 ssl reuseport backlog=4096;
        listen {SERVER_ADDRESS}:{REFERENCE_PORT} ssl reuseport backlog=4096;
        server_name {SERVER_NAME};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_certificate {w}/leaf.pem;
        ssl_certificate_key {w}/leaf.key;
        # Every handshake through every configuration is a full one.
        ssl_session_cache off;
        ssl_session_tickets off;
        root {w}/nginx/www;
        location = / {{ default_type text/plain; return 200 "{SMALL_BODY.strip()}\\n"; }}
        location = /1m {{ default_type application/octet-stream; }}
    }}
}}
""")
        self.start("nginx", ["ip", "netns", "exec", self.server_ns, "nginx", "-p", f"{w}/nginx", "-c", f"{w}/nginx/nginx.conf"],
                   "nginx/stdout.log")
        self.wait_listening(self.server_ns, 443, "nginx")

    # -- Squid --------------------------------------------------------------------------------

    def start_squid(self):
        w = self.work
        d = f"{w}/squid"
        os.makedirs(d)
        run([self.args.squid_certgen, "-c", "-s", f"{d}/ssl_db", "-M", "16MB"])
        with open(f"{d}/hosts", "w") as hosts:
            hosts.write(f"{SERVER_ADDRESS} {SERVER_NAME}\n")
        with open(f"{d}/squid.conf", "w") as conf:
            conf.write(f"""# Squid ssl-bump as the TLS inspection reference: peek at the ClientHello, then bump.
http_port 127.0.0.1:3128
https_port {SQUID_TPROXY_PORT} tproxy ssl-bump tls-cert={w}/ica.pem tls-key={w}/ica.key generate-host-certificates=on dynamic_cert_mem_cache_size=16MB
sslcrtd_program {self.args.squid_certgen} -s {d}/ssl_db -M 16MB
sslcrtd_children 4 startup=1 idle=1
acl step1 at_step SslBump1
ssl_bump peek step1
ssl_bump bump all
tls_outgoing_options cafile={w}/sca.pem
http_access allow all
cache deny all
cache_mem 8 MB
hosts_file {d}/hosts
dns_nameservers 127.0.0.1
pid_filename {d}/squid.pid
cache_log {d}/cache.log
access_log stdio:{d}/access.log
logfile_rotate 0
coredump_dir {d}
netdb_filename none
pinger_enable off
shutdown_lifetime 0 seconds
""")
        run(["chown", "-R", "proxy:proxy", d])
        self.start("squid", ["ip", "netns", "exec", self.fw_ns, "squid", "-N", "-f", f"{d}/squid.conf"], "squid/stdout.log")
        self.wait_listening(self.fw_ns, SQUID_TPROXY_PORT, "squid")

    # The TPROXY rule that hands the client's port-443 connections to Squid. It goes before Rampart's
    # jump, so the worker never sees those packets; the replies to Squid's transparent upstream socket
    # take Rampart's socket rule.
    SQUID_RULE = ["PREROUTING", "-i", "fw-c", "-p", "tcp", "--dport", "443", "-j", "TPROXY",
                  "--on-port", str(SQUID_TPROXY_PORT), "--tproxy-mark", DIVERT_MARK]

    def divert_to_squid(self, on):
        """Puts Squid's TPROXY rule in place (`on`) or takes it out; without it, Rampart's chain decides."""
        present = self.SQUID_RULE in self.iptables_added
        if on and not present:
            chain, *rest = self.SQUID_RULE
            self.mangle("-I", chain, "1", *rest)
            self.iptables_added.append(self.SQUID_RULE)
        elif not on and present:
            self.iptables_added.remove(self.SQUID_RULE)
            self.mangle("-D", *self.SQUID_RULE)

    def mangle(self, *arguments, check=True):
        """`iptables -t mangle ARGUMENTS` in the firewall namespace."""
        run(["ip", "netns", "exec", self.fw_ns, "iptables-legacy", "-w", "5", "-t", "mangle", *arguments], check=check)

    def wait_listening(self, namespace, port, name, seconds=20):
        """Until something listens on `port` in `namespace`, while the process `name` runs."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            listening = run(["ip", "netns", "exec", namespace, "ss", "-ltnH"], check=False).stdout
            if any(len(line.split()) > 3 and line.split()[3].endswith(f":{port}") for line in listening.splitlines()):
                return
            if name in self.processes and self.processes[name].poll() is not None:
                raise BenchError(f"{name} exited at start; see its logs under {self.work}")
            time.sleep(0.1)
        raise BenchError(f"{name} is not listening on port {port} after {seconds} s")

    def stop_squid(self):
        self.stop_process("squid")
        self.remove_iptables_rules()

    def remove_iptables_rules(self):
        while self.iptables_added:
            self.mangle("-D", *self.iptables_added.pop(), check=False)

    def stop_process(self, name):
        process = self.processes.pop(name, None)
        if process is None:
            return
        # Children (Squid's certificate generators) with their start times, so that a pid reused by
        # another process meanwhile is never signalled.
        family = [(pid, start_time(pid)) for pid in descendants(process.pid)[1:]] if process.poll() is None else []
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        for pid, started in family:
            if started is not None and start_time(pid) == started:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    # -- measurement --------------------------------------------------------------------------

    def client(self, mode, cafile, *extra, timeout):
        command = ["ip", "netns", "exec", self.client_ns, sys.executable, self.script, "client", mode, "--cafile", cafile,
                   *map(str, extra)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise BenchError(f"client {mode} failed: {result.stderr.strip()}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def firewall_pids(self, config):
        if config == "squid":
            return descendants(self.processes["squid"].pid)
        return [self.worker_pid]

    def start_perf(self, config, run_name, seconds):
        """`perf record -g` of the worker for `seconds`, during Rampart's runs, when asked for."""
        if not self.args.perf or config != "rampart":
            return None
        os.makedirs(self.args.perf, exist_ok=True)
        return subprocess.Popen(
            ["perf", "record", "-F", "2999", "-g", "-p", str(self.worker_pid), "-o", f"{self.args.perf}/rampart-{run_name}.data",
             "--", "sleep", str(seconds)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    @staticmethod
    def wait_perf(perf):
        if perf is not None:
            try:
                perf.wait(timeout=60)
            except subprocess.TimeoutExpired:
                perf.kill()
                perf.wait()

    def use(self, config):
        """Sends the client's next connections to `config`: its own source ports, and Squid's TPROXY rule
        in place exactly while Squid is measured (Rampart's inspecting policy stays in force meanwhile)."""
        if not self.args.shared_ports:
            low, high = CLIENT_PORTS[config]
            run(["ip", "netns", "exec", self.client_ns, "sysctl", "-q", "-w", f"net.ipv4.ip_local_port_range={low} {high}"])
        if "squid" in self.processes:
            self.divert_to_squid(config == "squid")

    def step(self, config, measure):
        """One measurement through `config`: `measure` gets the CA file its clients verify against."""
        self.use(config)
        return measure(f"{self.work}/{'sca.pem' if config == 'direct' else 'ica.pem'}")

    @staticmethod
    def turn(configs, number):
        """The order of the configurations in round `number`: ABBA, so a drift of the machine's speed
        during the rounds weighs on each configuration alike."""
        return configs if number % 2 == 0 else list(reversed(configs))

    def measure(self, configs):
        """Measures `configs` over the same lab, interleaved: every configuration warms up, then each round of
        the connection-rate run goes through all of them in turn, then the latency runs, then each round
        of the bulk run in turn. Configurations measured minutes apart would see a machine whose speed
        drifts (both proxies move with it); interleaved, a ratio between them compares like with like."""
        for config in configs:
            self.results[config] = {}
            self.warm_up(config)
        rate_rounds = self.interleaved(configs, self.args.rate_rounds, self.rate_round)
        for config in configs:
            self.summarize_rate(config, rate_rounds[config])
        for config in configs:
            self.step(config, lambda cafile: self.latency(config, cafile))
        bulk_rounds = self.interleaved(configs, self.args.bulk_rounds, self.bulk_round)
        for config in configs:
            self.summarize_bulk(config, bulk_rounds[config])

    def interleaved(self, configs, rounds, one_round):
        """`rounds` rounds of `one_round(config, cafile, number)` through every configuration in turn (ABBA
        order, see ``turn``); each configuration's outcomes in round order."""
        outcomes = {config: [] for config in configs}
        for number in range(rounds):
            for config in self.turn(configs, number):
                outcomes[config].append(self.step(config, lambda cafile: one_round(config, cafile, number)))
        return outcomes

    def warm_up(self, config):
        """A few connections (a minted leaf cached, code paths paged in); they must all succeed. What the
        server negotiated with them is what the configuration negotiates (the report names it)."""
        result = self.results[config]
        self.upstream_tls()  # what the server saw before belongs to no configuration's warm-up
        warm = self.step(config, lambda cafile: self.client("latency", cafile, "--count", 20, "--seconds", 20, timeout=60))
        if warm["failed"]:
            raise BenchError(f"{config}: warm-up connections failed: {warm['error']}")
        result["first_ms"] = warm["samples"][0] * 1000
        result["client_tls"] = warm["negotiated"]
        result["server_tls"] = self.upstream_tls()

    def with_cpu(self, config, run_name, seconds, number, measure):
        """`measure()`, a client run of about `seconds`, with the firewall's CPU time during it added as
        `cpu_seconds` (Squid's helpers started meanwhile count whole); the first round (`number` 0) is
        also recorded with perf when asked for."""
        perf = self.start_perf(config, run_name, seconds) if number == 0 else None
        before = cpu_seconds(self.firewall_pids(config))
        outcome = measure()
        after = cpu_seconds(self.firewall_pids(config))
        self.wait_perf(perf)
        outcome["cpu_seconds"] = after - before
        return outcome

    def rate_round(self, config, cafile, number):
        """One round of the connection-rate run, with the firewall's CPU time during it."""
        args = self.args
        return self.with_cpu(config, "rate", args.rate_seconds, number, lambda: self.client(
            "rate", cafile, "--seconds", args.rate_seconds, "--concurrency", args.concurrency,
            "--max-connections", args.max_connections, timeout=args.rate_seconds + 60))

    def summarize_rate(self, config, rounds):
        """Each round's CPU per connection is measured on its own and the median is reported, so that one
        round disturbed by other work on the shared cores does not decide."""
        result = self.results[config]
        result["connections"] = sum(rate["connections"] for rate in rounds)
        result["failed"] = sum(rate["failed"] for rate in rounds)
        result["rate_error"] = next((rate["error"] for rate in rounds if rate["error"]), None)
        result["conn_per_s_rounds"] = [rate["connections"] / rate["seconds"] if rate["seconds"] else 0 for rate in rounds]
        result["conn_per_s"] = statistics.median(result["conn_per_s_rounds"])
        per_round = [rate["cpu_seconds"] * 1000 / rate["connections"] if rate["connections"] else float("nan") for rate in rounds]
        result["cpu_ms_per_conn_rounds"] = per_round
        result["cpu_ms_per_conn"] = statistics.median(per_round)
        result["cpu_share"] = statistics.median(
            rate["cpu_seconds"] / rate["seconds"] if rate["seconds"] else 0 for rate in rounds)
        # What one core would sustain at this cost: the figure that does not depend on how busy the
        # machine's other cores are (the issue quotes Squid's this way).
        result["conn_per_core_s"] = 1000 / result["cpu_ms_per_conn"] if result["cpu_ms_per_conn"] > 0 else None

    def latency(self, config, cafile):
        """Sequential new connections; for squid and rampart also interleaved, connection by connection,
        with connections that are not intercepted: the added latency without the drift between runs."""
        args = self.args
        result = self.results[config]
        latency = self.client("latency", cafile, "--count", args.latency_count, "--seconds", args.latency_seconds,
                              timeout=args.latency_seconds + 60)
        samples = latency["samples"]
        result["latency_n"] = len(samples)
        result["latency_failed"] = latency["failed"]
        result["latency_error"] = latency["error"]
        result["p50_ms"] = percentile(samples, 0.50) * 1000
        result["p99_ms"] = percentile(samples, 0.99) * 1000
        result["mean_ms"] = statistics.fmean(samples) * 1000 if samples else float("nan")
        if config == "direct":
            return
        paired = self.client("paired", cafile, "--reference-cafile", f"{self.work}/sca.pem",
                             "--count", args.latency_count, "--seconds", 2 * args.latency_seconds,
                             timeout=2 * args.latency_seconds + 60)
        if paired["samples"]:
            result["paired_n"] = len(paired["samples"])
            result["paired_p50_ms"] = percentile(paired["samples"], 0.50) * 1000
            result["paired_reference_p50_ms"] = percentile(paired["references"], 0.50) * 1000
            result["paired_added_p50_ms"] = result["paired_p50_ms"] - result["paired_reference_p50_ms"]
            result["paired_added_p99_ms"] = (percentile(paired["samples"], 0.99)
                                             - percentile(paired["references"], 0.99)) * 1000
        result["paired_failed"] = paired["failed"]

    def bulk_round(self, config, cafile, number):
        """One round of the bulk run: one new keep-alive connection fetching the 1 MiB object repeatedly."""
        args = self.args
        return self.with_cpu(config, "bulk", args.bulk_seconds, number, lambda: self.client(
            "bulk", cafile, "--path", "/1m", "--seconds", args.bulk_seconds, "--count", args.bulk_count,
            timeout=args.bulk_seconds + 60))

    def summarize_bulk(self, config, rounds):
        """The median round's throughput and CPU per MB."""
        result = self.results[config]
        result["bulk_error"] = next((bulk["error"] for bulk in rounds if bulk["error"]), None)
        throughputs = [bulk["bytes"] / bulk["seconds"] / 1e6 if bulk["seconds"] else 0 for bulk in rounds]
        result["bulk_mb_s_rounds"] = throughputs
        result["bulk_mb_s"] = statistics.median(throughputs)
        result["bulk_cpu_ms_per_mb"] = statistics.median(
            bulk["cpu_seconds"] * 1000 / (bulk["bytes"] / 1e6) if bulk["bytes"] else float("nan") for bulk in rounds)
        # Without interception the bytes are forwarded by the kernel, outside any process's account.
        result["bulk_mb_per_core_s"] = (
            1000 / result["bulk_cpu_ms_per_mb"] if config != "direct" and result["bulk_cpu_ms_per_mb"] > 0 else None
        )

    def upstream_tls(self):
        """What the server saw negotiated since the last call (nginx flushes its log within 1 s)."""
        time.sleep(1.5)
        counts = {}
        try:
            with open(f"{self.work}/nginx/access.log") as access:
                access.seek(getattr(self, "access_offset", 0))
                for line in access:
                    counts[line.strip()] = counts.get(line.strip(), 0) + 1
                self.access_offset = access.tell()
        except OSError:
            pass
        return counts

    def run_configs(self):
        """Direct first, on the policy without TLS inspection; then Squid and Rampart interleaved, with the
        inspecting policy in force and Squid's rule put in and taken out around Squid's steps."""
        configs = self.args.configs
        if "direct" in configs:
            log("measuring direct")
            self.measure(["direct"])
        proxies = [c for c in ("rampart", "squid") if c in configs]
        if not proxies:
            return
        if "rampart" in proxies:
            self.api("PUT", "/v1/firewalls/bench/policy", {"FirewallPolicyArn": self.inspect_policy})
            self.wait_in_sync(self.inspect_policy)
            self.wait_listening(self.fw_ns, 15443, "the TLS engine")
        if "squid" in proxies:
            self.start_squid()
        log(f"measuring {' and '.join(proxies)}" + (", interleaved" if len(proxies) > 1 else ""))
        try:
            self.measure(proxies)
        finally:
            if "squid" in proxies:
                self.stop_squid()

    # -- report -------------------------------------------------------------------------------

    def report(self):
        r = self.results
        order = [c for c in ("direct", "rampart", "squid") if c in r]
        width = 10
        lines = ["", f"TLS benchmark (lab, one worker, ECDSA P-256, {os.cpu_count()} CPUs shared by client, firewall and server)"]

        def row(label, key, fmt):
            cells = "".join(f"{fmt.format(r[c][key]) if r[c].get(key) is not None else '-':>{width}}" for c in order)
            lines.append(f"  {label:<38}{cells}")

        lines.append(f"  {'':<38}" + "".join(f"{c:>{width}}" for c in order))
        row("new connections/s (median round)", "conn_per_s", "{:.0f}")
        row("  connections in the rate run", "connections", "{:d}")
        row("firewall CPU ms per new connection", "cpu_ms_per_conn", "{:.3f}")
        lines.append("    by round: " + "; ".join(
            f"{c} " + " ".join(f"{v:.3f} ({rate:.0f}/s)" for v, rate in zip(r[c].get("cpu_ms_per_conn_rounds", []),
                                                                           r[c].get("conn_per_s_rounds", []))) for c in order))
        row("  = connections/s at one full core", "conn_per_core_s", "{:.0f}")
        row("firewall CPU share during the run", "cpu_share", "{:.2f}")
        row("latency p50 ms (1 conn at a time)", "p50_ms", "{:.2f}")
        row("latency p99 ms", "p99_ms", "{:.2f}")
        row("interleaved: p50 ms through it", "paired_p50_ms", "{:.2f}")
        row("  p50 ms not intercepted (same moments)", "paired_reference_p50_ms", "{:.2f}")
        row("  added p50 ms", "paired_added_p50_ms", "{:+.2f}")
        row("  added p99 ms", "paired_added_p99_ms", "{:+.2f}")
        row("first connection ms (cold)", "first_ms", "{:.1f}")
        row("bulk MB/s (1 MiB, keep-alive)", "bulk_mb_s", "{:.0f}")
        lines.append("    by round: " + "; ".join(
            f"{c} " + " ".join(f"{v:.0f}" for v in r[c].get("bulk_mb_s_rounds", [])) for c in order))
        row("firewall CPU ms per MB in bulk", "bulk_cpu_ms_per_mb", "{:.2f}")
        row("  = MB/s at one full core", "bulk_mb_per_core_s", "{:.0f}")
        failed = {c: (r[c]["failed"], r[c]["latency_failed"]) for c in order if r[c]["failed"] or r[c]["latency_failed"]}
        for c, (rate_failed, latency_failed) in failed.items():
            lines.append(f"  {c}: {rate_failed} failed connections in the rate run, {latency_failed} in the latency run "
                         f"(first: {r[c]['rate_error'] or r[c]['latency_error']})")
        for c in order:
            if r[c].get("paired_failed"):
                lines.append(f"  {c}: {r[c]['paired_failed']} failed pairs in the interleaved latency run")
            if r[c]["bulk_error"]:
                lines.append(f"  {c}: bulk run ended with {r[c]['bulk_error']}")
        lines.append("")
        if "rampart" in r:
            ra = r["rampart"]
            verdict = lambda ok: "meets" if ok else "MISSES"
            squid = r.get("squid")
            direct = r.get("direct")
            lines.append(f"  rampart CPU/conn {ra['cpu_ms_per_conn']:.2f} ms (target <= {TARGET_CPU_MS:g} ms: "
                         f"{verdict(ra['cpu_ms_per_conn'] <= TARGET_CPU_MS)}"
                         + (f"; squid {squid['cpu_ms_per_conn']:.2f} ms, rampart/squid {ra['cpu_ms_per_conn'] / squid['cpu_ms_per_conn']:.2f}" if squid else "")
                         + ")")
            if direct:
                added50 = ra["p50_ms"] - direct["p50_ms"]
                added99 = ra["p99_ms"] - direct["p99_ms"]
                lines.append(f"  rampart added latency p50 {added50:+.2f} ms, p99 {added99:+.2f} ms vs direct "
                             f"(target p50 <= {TARGET_ADDED_LATENCY_MS:g} ms: {verdict(added50 <= TARGET_ADDED_LATENCY_MS)}"
                             + (f"; squid adds p50 {squid['p50_ms'] - direct['p50_ms']:+.2f} ms, p99 {squid['p99_ms'] - direct['p99_ms']:+.2f} ms" if squid else "")
                             + ")")
            if ra.get("paired_added_p50_ms") is not None:
                added = ra["paired_added_p50_ms"]
                lines.append(f"  rampart added latency p50 {added:+.2f} ms, p99 {ra['paired_added_p99_ms']:+.2f} ms interleaved with "
                             f"connections to port {REFERENCE_PORT} (not intercepted) over {ra['paired_n']} pairs "
                             f"(target p50 <= {TARGET_ADDED_LATENCY_MS:g} ms: {verdict(added <= TARGET_ADDED_LATENCY_MS)}"
                             + (f"; squid adds p50 {squid['paired_added_p50_ms']:+.2f} ms" if squid and squid.get("paired_added_p50_ms") is not None else "")
                             + ")")
            per_core = ra.get("bulk_mb_per_core_s")
            lines.append(f"  rampart bulk {ra['bulk_mb_s']:.0f} MB/s (target >= {TARGET_BULK_MBPS:g} MB/s: "
                         f"{verdict(ra['bulk_mb_s'] >= TARGET_BULK_MBPS)}"
                         + (f"; {per_core:.0f} MB/s at one full core" if per_core else "")
                         + (f"; squid {squid['bulk_mb_s']:.0f} MB/s" if squid else "")
                         + (f"; direct {direct['bulk_mb_s']:.0f} MB/s" if direct else "") + ")")
            if squid:
                lines.append(f"  new connections/s rampart/squid {ra['conn_per_s'] / squid['conn_per_s']:.2f}"
                             if squid["conn_per_s"] else "")
                lines.extend(self.ratio_verdicts(ra, squid, verdict))
        lines.append(f"  (CPU per new connection: the median of {self.args.rate_rounds} rounds of "
                     f"{self.args.rate_seconds:g} s each; bulk: the median of {self.args.bulk_rounds} rounds of "
                     f"{self.args.bulk_seconds:g} s each)")
        for c in order:
            client = r[c].get("client_tls") or {}
            server = max(r[c].get("server_tls") or {"?": 0}, key=lambda k: (r[c].get("server_tls") or {"?": 0})[k])
            lines.append(f"  {c}: client saw {client.get('version')} {client.get('cipher')} from '{client.get('issuer')}'; "
                         f"server saw mostly {server}")
        lines.append(f"  (MB = 10^6 bytes; {self.args.concurrency} concurrent clients for connections/s; "
                     f"latency from {min(r[c]['latency_n'] for c in order)}+ sequential new connections per configuration)")
        if self.pressure_before is not None:
            lines.append(f"  CPU pressure before the bench started (PSI some, last 60 s): {self.pressure_before:.0f}% - "
                         "above a few percent, other work competed for the cores: rates and latencies suffer, CPU costs less so")
        print("\n".join(lines), flush=True)

    @staticmethod
    def ratio_verdicts(ra, squid, verdict):
        """The targets as ratios against Squid in this run (the issue's figures: Squid 4.1 ms of CPU per
        connection, 5 ms added, 173 MB/s; targets 1 ms, 1 ms, 500 MB/s)."""
        lines = ["  against squid in this run (the issue's targets as ratios to its squid figures):"]
        if squid["cpu_ms_per_conn"] > 0:
            ratio = ra["cpu_ms_per_conn"] / squid["cpu_ms_per_conn"]
            lines.append(f"    CPU/conn rampart/squid {ratio:.3f} (target <= {TARGET_CPU_RATIO:.3f}: {verdict(ratio <= TARGET_CPU_RATIO)})"
                         + Bench.round_ratios(ra["cpu_ms_per_conn_rounds"], squid["cpu_ms_per_conn_rounds"], "{:.3f}"))
        ours, theirs = ra.get("paired_added_p50_ms"), squid.get("paired_added_p50_ms")
        if ours is not None and theirs is not None and theirs > 0:
            ratio = max(ours, 0.0) / theirs
            lines.append(f"    added p50 latency rampart/squid {ratio:.3f} "
                         f"(target <= {TARGET_ADDED_LATENCY_RATIO:.3f}: {verdict(ratio <= TARGET_ADDED_LATENCY_RATIO)})")
        if squid["bulk_mb_s"] > 0:
            ratio = ra["bulk_mb_s"] / squid["bulk_mb_s"]
            lines.append(f"    bulk MB/s rampart/squid {ratio:.2f} (target >= {TARGET_BULK_RATIO:.2f}: {verdict(ratio >= TARGET_BULK_RATIO)})"
                         + Bench.round_ratios(ra["bulk_mb_s_rounds"], squid["bulk_mb_s_rounds"], "{:.2f}"))
        return lines

    @staticmethod
    def round_ratios(ours, theirs, fmt):
        """The ratio of each round to Squid's round of the same number (measured next to it, interleaved)."""
        ratios = [fmt.format(a / b) for a, b in zip(ours, theirs) if b > 0]
        return f"; round by round {' '.join(ratios)}" if ratios else ""

    def engine_notes(self):
        """What the worker's log and EVE say about the Rampart run: outcomes of intercepted connections."""
        eve = f"{self.work}/lab/eve.json"
        outcomes, drops = {}, {}
        try:
            with open(eve) as events:
                for line in events:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    inspection = (event.get("tls") or {}).get("inspection")
                    if event.get("event_type") == "tls" and inspection:
                        key = f"{inspection.get('action')}/{inspection.get('reason')}"
                        outcomes[key] = outcomes.get(key, 0) + 1
                    elif event.get("event_type") == "drop":
                        drop = event.get("drop") or {}
                        kind = "SYN" if drop.get("syn") else "RST" if drop.get("rst") else "other"
                        key = f"{kind} dropped: {drop.get('reason')}"
                        drops[key] = drops.get(key, 0) + 1
        except OSError:
            return
        if outcomes:
            print("  rampart tls events: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())), flush=True)
        if drops:
            print("  worker drop events (whole run): " + ", ".join(f"{k} {v}" for k, v in sorted(drops.items())), flush=True)
        try:
            with open(f"{self.work}/lab/worker-q0.log", errors="replace") as worker_log:
                lines = [l.rstrip() for l in worker_log if l.strip()]
        except OSError:
            return
        noteworthy = [l for l in lines if any(w in l.lower() for w in ("error", "fail", "cannot", "nack"))
                      and "no snapshot yet" not in l]
        if noteworthy:
            print(f"  worker log: {len(noteworthy)} error lines, e.g. {noteworthy[0][:200]}", flush=True)

    def perf_summary(self):
        for run_name in ("rate", "bulk"):
            data = f"{self.args.perf}/rampart-{run_name}.data"
            if not os.path.exists(data):
                continue
            with open(f"{self.args.perf}/rampart-{run_name}-flat.txt", "w") as out:
                subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio", "-g", "none"],
                               stdout=out, stderr=subprocess.DEVNULL, timeout=300)
            with open(f"{self.args.perf}/rampart-{run_name}-children.txt", "w") as out:
                subprocess.run(["perf", "report", "-i", data, "--children", "--sort", "symbol", "--stdio", "-g", "none"],
                               stdout=out, stderr=subprocess.DEVNULL, timeout=300)
        log(f"perf data and reports in {self.args.perf}/rampart-{{rate,bulk}}*")

    # -- teardown -----------------------------------------------------------------------------

    def teardown(self):
        for name in ("squid",):
            if name in self.processes:
                self.stop_process(name)
        self.remove_iptables_rules()
        if "nginx" in self.processes:
            self.stop_process("nginx")
        if self.lab_up:
            result = run([f"{self.bin_dir}/rampart", "lab", "down", "--prefix", self.prefix, "--run-dir", f"{self.work}/lab"],
                         check=False)
            if result.returncode != 0:
                log(f"lab down failed: {result.stderr.strip()}")
        for name in list(reversed(self.processes)):
            self.stop_process(name)
        if self.work and not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        elif self.work:
            log(f"kept {self.work}")

    def main(self):
        self.check_requirements()
        self.make_work_dir()
        self.make_certificates()
        self.start_control_plane()
        self.configure()
        self.start_lab()
        self.start_nginx()
        self.run_configs()
        self.report()
        self.engine_notes()
        if self.args.perf:
            self.perf_summary()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "client":
        return client_main(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin-dir", default=".build/release", help="where rampart and rampart-worker are")
    parser.add_argument("--prefix", help="lab namespace prefix (default: tlsb<pid>)")
    parser.add_argument("--port", type=int, default=0, help="control plane port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--configs", default="direct,squid,rampart", help="which of direct, squid, rampart to measure")
    parser.add_argument("--rate-seconds", type=float, default=10, help="length of one round of the connection-rate run")
    parser.add_argument("--rate-rounds", type=int, default=9,
                        help="rounds of the connection-rate run; CPU per connection is their median")
    parser.add_argument("--max-connections", type=int, default=100000, help="bound of the connection-rate run")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes in the connection-rate run")
    parser.add_argument("--latency-count", type=int, default=500)
    parser.add_argument("--latency-seconds", type=float, default=20)
    parser.add_argument("--bulk-seconds", type=float, default=5, help="length of one round of the bulk run")
    parser.add_argument("--bulk-rounds", type=int, default=5,
                        help="rounds of the bulk run; MB/s and CPU per MB are their medians")
    parser.add_argument("--bulk-count", type=int, default=5000, help="bound of objects in the bulk run")
    parser.add_argument("--squid-certgen", default="/usr/lib/squid/security_file_certgen")
    parser.add_argument("--perf", metavar="DIR", help="record the worker with perf during Rampart's connection-rate and bulk runs")
    parser.add_argument("--shared-ports", action="store_true",
                        help="all configurations' clients share the system's source port range (shows the port-reuse drop)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, certificates)")
    args = parser.parse_args()
    args.configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = set(args.configs) - {"direct", "squid", "rampart"}
    if unknown:
        parser.error(f"unknown configurations: {', '.join(sorted(unknown))}")

    bench = Bench(args)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    try:
        bench.main()
        return 0
    except BenchError as error:
        log(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        bench.teardown()


if __name__ == "__main__":
    sys.exit(main())
