#!/usr/bin/env python3
"""Two of issue 11's reliability figures against a real `llmbench serve` process (docs/SERVING.md, "Reliability").

  cancel:   N streamed completions (default 1,000, CONCURRENT at a time) each read until its first token arrives,
            then the connection is closed mid-generation. Afterwards the server's /metrics must show 0 requests
            running or waiting and a KV-cache usage of 0, and the server's resident memory is compared with its
            value before the first stream.
  overload: a server with --max-num-seqs S --max-waiting 0 gets S long requests (admitted), then a burst of B more at
            once: each extra one must be answered 503 with Retry-After, and the time from sending it to its status
            line is recorded; the S admitted requests must still finish with 200.

Standard library only (asyncio streams, raw HTTP/1.1), so nothing is installed. Usage:
  ./llmbench --version >/dev/null   # build once
  python3 dev/reliability.py [--streams 1000] [--concurrent 100] [--burst 200] [--model tests/fixtures/serving/tiny-qwen3-wide]
Prints one line per figure and exits 1 when a property does not hold.
"""

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_server(model, port, extra):
    cmd = [os.path.join(ROOT, "llmbench"), "serve", model, "--load-format", "dummy", "--device", "cpu", "--port", str(port)] + extra
    log = open(f"/tmp/llmbench-reliability-{port}.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode}; see {log.name}")
        try:
            status, _, _ = asyncio.run(request(port, "GET", "/health", None))
            if status == 200:
                return proc
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.5)
    proc.kill()
    sys.exit(f"the server did not become healthy in 300 s; see {log.name}")


def server_pid(proc):
    """The dotnet process under the ./llmbench wrapper (the wrapper execs or waits for it)."""
    out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    return int(out[0]) if out else proc.pid


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def request(port, method, path, body, read_all=True, sent=None):
    """Status, headers and body; `sent` (a list) gets the perf_counter time at which the request was fully written."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    writer.write(head.encode() + data)
    await writer.drain()
    if sent is not None:
        sent.append(time.perf_counter())
    status_line = await reader.readline()
    answered = time.perf_counter()
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode().partition(":")
        headers[k.strip().lower()] = v.strip()
    payload = await reader.read() if read_all else b""
    writer.close()
    if sent is not None:
        sent.append(answered)
    return status, headers, payload


async def metrics(port):
    _, _, body = await request(port, "GET", "/metrics", None)
    values = {}
    for line in body.decode().splitlines():
        m = re.match(r"^(vllm:num_requests_running|vllm:num_requests_waiting|vllm:kv_cache_usage_perc|llmbench:requests_abandoned_total)(\{[^}]*\})? (\S+)$", line)
        if m:
            values[m.group(1)] = float(m.group(3))
    return values


async def one_cancelled_stream(port, index):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = json.dumps({"prompt": f"stream {index} goes away", "max_tokens": 1000, "ignore_eos": True, "stream": True}).encode()
    writer.write(f"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    got_token = False
    while status == 200 and not got_token:
        line = await reader.readline()
        if not line:
            break
        got_token = line.startswith(b"data: {")
    writer.transport.abort()  # mid-generation: no FIN handshake, just gone
    return status, got_token


async def cancel(port, streams, concurrent):
    sem = asyncio.Semaphore(concurrent)
    results = []

    async def run(i):
        async with sem:
            results.append(await one_cancelled_stream(port, i))

    await asyncio.gather(*(run(i) for i in range(streams)))
    return results


async def settle(port, seconds=30):
    deadline = time.time() + seconds
    m = await metrics(port)
    while time.time() < deadline and (m.get("vllm:num_requests_running", 1) > 0 or m.get("vllm:num_requests_waiting", 1) > 0 or m.get("vllm:kv_cache_usage_perc", 1) > 0):
        await asyncio.sleep(0.2)
        m = await metrics(port)
    return m


async def overload(port, admitted, burst):
    long_body = {"prompt": "keep the engine busy", "max_tokens": 400, "ignore_eos": True}
    busy = [asyncio.create_task(request(port, "POST", "/v1/completions", long_body)) for _ in range(admitted)]
    deadline = time.time() + 30
    while time.time() < deadline and (await metrics(port)).get("vllm:num_requests_running", 0) < admitted:
        await asyncio.sleep(0.05)

    async def refused(i):
        times = []  # written, answered: the server's time plus the loopback, not this client's connection set-up
        status, headers, _ = await request(port, "POST", "/v1/completions", {"prompt": f"burst {i}", "max_tokens": 8}, sent=times)
        return status, headers.get("retry-after"), (times[1] - times[0]) * 1000

    extra = await asyncio.gather(*(refused(i) for i in range(burst)))
    done = await asyncio.gather(*busy)
    return extra, [s for s, _, _ in done]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="tests/fixtures/serving/tiny-qwen3-wide")
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--concurrent", type=int, default=100)
    ap.add_argument("--burst", type=int, default=200)
    ap.add_argument("--admitted", type=int, default=4)
    ap.add_argument("--port", type=int, default=18431)
    a = ap.parse_args()
    ok = True

    proc = start_server(a.model, a.port, [])
    try:
        pid = server_pid(proc)
        before = rss_mib(pid)
        t = time.perf_counter()
        results = asyncio.run(cancel(a.port, a.streams, a.concurrent))
        took = time.perf_counter() - t
        m = asyncio.run(settle(a.port))
        after = rss_mib(pid)
        statuses = {s: sum(1 for r in results if r[0] == s) for s in {r[0] for r in results}}
        tokens = sum(1 for r in results if r[1])
        print(f"cancel: {a.streams} streams ({a.concurrent} at a time) closed after their first token in {took:.1f} s; "
              f"statuses {statuses}; {tokens} saw a token; after: running {m.get('vllm:num_requests_running')}, "
              f"waiting {m.get('vllm:num_requests_waiting')}, KV usage {m.get('vllm:kv_cache_usage_perc')}, "
              f"abandoned {m.get('llmbench:requests_abandoned_total')}; RSS {before:.0f} -> {after:.0f} MiB")
        ok &= statuses.get(200, 0) == a.streams and tokens == a.streams and m.get("vllm:kv_cache_usage_perc") == 0 \
            and m.get("vllm:num_requests_running") == 0 and m.get("llmbench:requests_abandoned_total") == a.streams
    finally:
        proc.terminate()
        proc.wait(30)

    port = a.port + 1
    proc = start_server(a.model, port, ["--max-num-seqs", str(a.admitted), "--max-waiting", "0"])
    try:
        extra, admitted = asyncio.run(overload(port, a.admitted, a.burst))
        ms = sorted(x[2] for x in extra)
        refused = [x for x in extra if x[0] == 503]
        print(f"overload: {a.admitted} admitted, a burst of {a.burst} more: {len(refused)} x 503 "
              f"({sum(1 for x in refused if x[1])} with Retry-After), from the request written to its status line: median {statistics.median(ms):.1f} ms, "
              f"p99 {ms[min(len(ms) - 1, int(len(ms) * 0.99))]:.1f} ms, max {ms[-1]:.1f} ms; admitted ones: {admitted}")
        ok &= len(refused) == a.burst and all(x[1] for x in refused) and ms[-1] < 50 and all(s == 200 for s in admitted)
    finally:
        proc.terminate()
        proc.wait(30)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
