"""Load benchmark: start the production-style server, drive each scenario with wrk, and report
p50/p95/p99 latency, requests per second and peak server memory (median of N runs), with each
read scenario's ratio to its bare-SQL limit.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python -m bench.run                      # every scenario, 3 runs of 10 s
    .venv/bin/python -m bench.run --only queue_first,detail --runs 1 --duration 5
    .venv/bin/python -m bench.run --flatness 100000        # memory across 100,000 requests
    .venv/bin/python -m bench.run --compare-servers        # gunicorn sync vs uvicorn workers

Needs wrk (`apt-get install -y wrk`) and a data set from `python -m bench.generate`
(bench/results/dataset.json). Results go to bench/results/<timestamp>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = ROOT / ".venv" / "bin"


@dataclass
class Scenario:
    name: str
    title: str
    user: str  # agent, customer or writer (dataset.json)
    paths: list[str]
    limit_paths: list[str] | None = None  # the bare-SQL limit of a read scenario
    method: str = "GET"
    body: str | None = None
    target_p95_ms: float | None = None
    target_rps: float | None = None
    target_ratio: float | None = None


def scenarios(dataset: dict[str, Any]) -> list[Scenario]:
    detail = dataset["detail_ticket_ids"]
    posts = dataset["post_ticket_ids"]
    tag = dataset["tag"]
    terms = dataset["search_terms"]
    api, lim = "/api/support/tickets/", "/bench/limit/tickets/"

    def both(query: str) -> tuple[list[str], list[str]]:
        return [f"{api}?{query}"], [f"{lim}?{query}"]

    out = []

    def read(name: str, title: str, user: str, query: str, **targets: Any) -> None:
        paths, limits = both(query)
        out.append(Scenario(name, title, user, paths, limits, **targets))

    read(
        "queue_first",
        "Staff queue, first page (default order)",
        "agent",
        "page_size=25",
        target_p95_ms=25,
        target_ratio=0.5,
    )
    read(
        "queue_status_priority",
        "Queue: status + priority",
        "agent",
        "status=open,in_progress&priority=high,urgent&page_size=25",
        target_p95_ms=40,
    )
    read("queue_mine", "Queue: assigned_agent=me", "agent", "assigned_agent=me&page_size=25", target_p95_ms=40)
    read("queue_tag", f"Queue: tag={tag}", "agent", f"tag={tag}&page_size=25", target_p95_ms=40)
    read("queue_escalated", "Queue: escalated", "agent", "escalated=true&page_size=25", target_p95_ms=40)
    read(
        "queue_by_priority", "Queue: ordered by priority", "agent", "ordering=-priority&page_size=25", target_p95_ms=40
    )
    # Service levels (docs/sla.md): soonest breach first, and the breached open tickets.
    read("queue_sla", "Queue: ordered by SLA", "agent", "ordering=sla&page_size=25", target_p95_ms=30)
    read(
        "queue_sla_breached",
        "Queue: SLA breached, open, by SLA",
        "agent",
        "sla=breached&status=open,in_progress&ordering=sla&page_size=25",
        target_p95_ms=40,
    )
    read("queue_deep", "Queue: deep page (2,000)", "agent", "page=2000&page_size=25", target_p95_ms=60)
    read("customer_list", "Customer's own list", "customer", "page_size=25", target_p95_ms=40)
    from urllib.parse import quote

    out.append(
        Scenario(
            "search",
            "Search (title + 5M messages)",
            "agent",
            [f"{api}?search={quote(t)}&page_size=25" for t in terms],
            [f"{lim}?search={quote(t)}&page_size=25" for t in terms],
            target_p95_ms=150,
        )
    )
    out.append(
        Scenario(
            "detail",
            "Ticket detail, 50 messages",
            "agent",
            [f"{api}{t}/" for t in detail],
            [f"{lim}{t}/" for t in detail],
            target_p95_ms=30,
        )
    )
    out.append(
        Scenario(
            "post_message",
            "Post a message (staff reply)",
            "agent",
            [f"{api}{t}/messages/" for t in posts],
            method="POST",
            body=json.dumps({"message_text": "Thanks for the details, I am looking into this now."}),
            target_p95_ms=50,
            target_rps=150,
        )
    )
    out.append(
        Scenario(
            "create_ticket",
            "Create a ticket (customer)",
            "writer",
            [api],
            method="POST",
            body=json.dumps(
                {
                    "title": "The app crashes when I open my bookings",
                    "category": "technical",
                    "priority": "medium",
                    "message_text": "Since this morning the app closes as soon as I open the bookings tab.",
                }
            ),
            target_p95_ms=50,
            target_rps=150,
        )
    )
    return out


LUA = r"""
local paths = {%(paths)s}
local method = "%(method)s"
local body = %(body)s
local limit = %(limit)d
local n = 0
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Host"] = "127.0.0.1"
math.randomseed(%(seed)d)
request = function()
  return wrk.format(method, paths[math.random(#paths)], nil, body)
end
if limit > 0 then
  response = function(status, headers, b)
    n = n + 1
    if n >= limit then wrk.thread:stop() end
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p95_us":%%d,"p99_us":%%d,"max_us":%%d,"mean_us":%%.1f,"non2xx":%%d,"timeouts":%%d,"connect":%%d,"read":%%d,"write":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, e.status, e.timeout, e.connect, e.read, e.write))
end
"""


def lua_script(paths: list[str], *, token: str, method: str, body: str | None, limit: int = 0) -> str:
    return LUA % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "method": method,
        "body": json.dumps(body) if body else "nil",
        "token": token,
        "limit": limit,
        "seed": random.randrange(1 << 30),
    }


# --- the server ---------------------------------------------------------------------------------


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY", "bench-only-secret-key-0123456789abcdef"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            # The benchmark hammers the API as three users: lift the per-user limits (still counted in Redis).
            "RATE_LIMIT_DEFAULT": "1000000000",
            "RATE_LIMIT_TICKET_CREATE": "1000000000",
            "JWT_ACCESS_MINUTES": "1440",
            "BENCH_LIMIT_VIEWS": "1",
            "DATA_DIR": str(ROOT / "data" / "bench"),
            "STATIC_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def migrate(args: argparse.Namespace) -> None:
    """Bring the loaded database up to the code's migrations (the data set outlives code changes)."""
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=server_env(args),
        check=True,
    )


def server_command(kind: str, workers: int, port: int) -> list[str]:
    bind = f"127.0.0.1:{port}"
    if kind == "gunicorn":
        return [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "-w",
            str(workers),
            "-b",
            bind,
            "--worker-class",
            "sync",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
            "--max-requests",
            "0",
        ]
    if kind == "gthread":
        return [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "-w",
            str(workers),
            "-b",
            bind,
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ]
    if kind == "uvicorn":
        return [
            str(VENV_BIN / "gunicorn"),
            "config.asgi:application",
            "-w",
            str(workers),
            "-b",
            bind,
            "--worker-class",
            "uvicorn.workers.UvicornWorker",
            "--log-level",
            "warning",
        ]
    raise ValueError(kind)


class Server:
    def __init__(self, args: argparse.Namespace, kind: str, workers: int) -> None:
        self.args, self.kind, self.workers = args, kind, workers
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = RESULTS_DIR / f"server-{kind}-{workers}.log"

    def __enter__(self) -> Server:
        cmd = server_command(self.kind, self.workers, self.args.port)
        RESULTS_DIR.mkdir(exist_ok=True)
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=server_env(self.args), stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.args.port}/healthz", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit(f"The server did not start; see {self.log_path}")

    def __exit__(self, *exc: Any) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def pids(self) -> list[int]:
        """The server's process tree (master and workers)."""
        assert self.proc is not None
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's processes."""
        return sum(_cpu_of(pid) for pid in self.pids())

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


class DbCpu:
    """CPU time of the PostgreSQL processes serving one database: its backends and their parallel
    workers. Workers live for one query, so processes are polled and the last reading of each kept."""

    def __init__(self, dbname: str) -> None:
        self.marker = f" {dbname} ".encode()
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.poll(initial=True)

    def poll(self, initial: bool = False) -> None:
        backends, workers = [], []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if not cmd.startswith(b"postgres:"):
                continue
            if self.marker in cmd:
                backends.append(int(entry.name))
            elif b"parallel worker for PID " in cmd:
                leader = int(cmd.split(b"parallel worker for PID ", 1)[1].split()[0].strip(b"\x00") or 0)
                workers.append((int(entry.name), leader))
        known = set(backends)
        for pid in backends + [pid for pid, leader in workers if leader in known]:
            cpu = _cpu_of(pid)
            self.first.setdefault(pid, cpu if initial else 0.0)
            self.last[pid] = max(cpu, self.last.get(pid, 0.0))

    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


class RssSampler(threading.Thread):
    """Samples the server's memory (and the database's CPU) while a run lasts."""

    def __init__(self, server: Server, interval: float = 0.25, db: DbCpu | None = None) -> None:
        super().__init__(daemon=True)
        self.server, self.interval, self.db = server, interval, db
        self.samples: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append(self.server.rss_mb())
            if self.db:
                self.db.poll()
            self.stopped.wait(self.interval)

    def stop(self) -> float:
        self.stopped.set()
        self.join()
        self.samples.append(self.server.rss_mb())
        if self.db:
            self.db.poll()
        return max(self.samples)


# --- running wrk --------------------------------------------------------------------------------


def wrk(script: str, *, port: int, duration: float, connections: int, timeout: float = 30) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                f"--timeout={max(1, round(timeout))}s",
                "-s",
                path,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(path)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    r = json.loads(line[len("RESULT ") :])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
    return r


def measure(server: Server, script: str, args: argparse.Namespace, duration: float) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    dbname = args.database_url.rsplit("/", 1)[-1].split("?")[0]
    cpu_before, db = server.cpu_seconds(), DbCpu(dbname)
    sampler = RssSampler(server, db=db)
    sampler.start()
    r = wrk(script, port=args.port, duration=duration, connections=args.connections, timeout=args.timeout)
    r["peak_rss_mb"] = sampler.stop()
    # CPU per request is far steadier than latency on a shared machine: it is what the request costs.
    n = max(r["requests"], 1)
    r["server_cpu_ms"] = (server.cpu_seconds() - cpu_before) * 1000 / n
    r["db_cpu_ms"] = db.seconds() * 1000 / n
    r["load1_before"] = load_before
    r["load1_after"] = os.getloadavg()[0]
    return r


def wait_idle(server: Server, *, limit: float = 90.0) -> None:
    """Let requests that outlived the run (wrk stops waiting; the workers do not) finish first."""
    deadline = time.time() + limit
    while time.time() < deadline:
        before = server.cpu_seconds()
        time.sleep(0.5)
        if server.cpu_seconds() - before < 0.05:
            return


def wait_for_quiet(max_load: float, *, limit: float = 600.0) -> None:
    """With --max-load: wait (up to `limit` s) until the 1-minute load average is at most
    `max_load`, so that other work on the machine (or the previous run) has settled."""
    if max_load <= 0:
        return
    deadline = time.time() + limit
    while os.getloadavg()[0] > max_load and time.time() < deadline:
        print(f"  load {os.getloadavg()[0]:.2f} > {max_load}: waiting", flush=True)
        time.sleep(20)


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = (
        "rps",
        "p50_us",
        "p95_us",
        "p99_us",
        "peak_rss_mb",
        "server_cpu_ms",
        "db_cpu_ms",
        "load1_before",
        "load1_after",
    )
    med = {k: statistics.median(r[k] for r in runs) for k in keys}
    med["requests"] = sum(r["requests"] for r in runs)
    med["errors"] = sum(r["non2xx"] + r["timeouts"] + r["connect"] + r["read"] + r["write"] for r in runs)
    return med


def token_for(port: int, email: str, password: str) -> str:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/auth/token/",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())["access"]


def check(port: int, path: str, token: str, method: str = "GET", body: str | None = None) -> int:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=body.encode() if body else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def run_scenario(server: Server, sc: Scenario, tokens: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    token = tokens[sc.user]
    result: dict[str, Any] = {
        "title": sc.title,
        "target_p95_ms": sc.target_p95_ms,
        "target_rps": sc.target_rps,
        "target_ratio": sc.target_ratio,
    }
    variants = [("endpoint", sc.paths)] + ([("limit", sc.limit_paths)] if sc.limit_paths and not args.no_limits else [])
    for variant, paths in variants:
        # One request first: it must succeed, and its time sizes the runs, so that a scenario taking
        # seconds per request still completes enough requests for its percentiles.
        started = time.perf_counter()
        status = check(args.port, paths[0], token, sc.method, sc.body)
        single = time.perf_counter() - started
        if status >= 400:
            raise SystemExit(f"{sc.name}: {sc.method} {paths[0]} answered {status}")
        duration = int(min(args.max_duration, max(args.duration, 10 * single)))
        script = lua_script(paths, token=token, method=sc.method, body=sc.body)
        if args.warmup and single < 1:
            wrk(script, port=args.port, duration=args.warmup, connections=args.connections, timeout=args.timeout)
        wait_idle(server)
        runs = []
        for i in range(args.runs):
            wait_for_quiet(args.max_load)
            r = measure(server, script, args, duration)
            wait_idle(server)
            runs.append(r)
            print(
                f"  {sc.name:24} {variant:8} run {i + 1} ({duration} s): {r['rps']:8.1f} req/s  "
                f"p50 {r['p50_us'] / 1000:8.1f} ms  "
                f"p95 {r['p95_us'] / 1000:8.1f} ms  p99 {r['p99_us'] / 1000:8.1f} ms  rss {r['peak_rss_mb']:6.0f} MB  "
                f"cpu/req app {r['server_cpu_ms']:6.1f} db {r['db_cpu_ms']:6.1f} ms  "
                f"n={r['requests']} err={r['non2xx'] + r['timeouts']}  load {r['load1_before']:.2f}",
                flush=True,
            )
        result[variant] = {"median": median_of(runs), "runs": runs}
    if "limit" in result:
        result["ratio_rps"] = result["endpoint"]["median"]["rps"] / max(result["limit"]["median"]["rps"], 1e-9)
    return result


def flatness(
    server: Server, tokens: dict[str, str], dataset: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    """Server memory across `args.flatness` requests of a read mix (detail and lists)."""
    api = "/api/support/tickets/"
    paths = [f"{api}{t}/" for t in dataset["detail_ticket_ids"][:20]]
    paths += [f"{api}?page_size=25&status=open&priority=urgent", f"{api}?assigned_agent=me&page_size=25"] * 5
    script = lua_script(paths, token=tokens["agent"], method="GET", body=None)
    wrk(script, port=args.port, duration=3, connections=args.connections, timeout=args.timeout)  # warm up
    start = server.rss_mb()
    pids_before = sorted(server.pids())
    load_before = os.getloadavg()[0]
    sampler = RssSampler(server, interval=1.0)
    sampler.start()
    # wrk cannot stop at a request count (a stopped thread still waits out -d), so the run is a
    # series of 30 s chunks until the count is reached; memory is sampled throughout.
    requests, errors, elapsed, p95s = 0, 0, 0.0, []
    while requests < args.flatness:
        r = wrk(script, port=args.port, duration=30, connections=args.connections, timeout=args.timeout)
        requests += r["requests"]
        errors += r["non2xx"] + r["timeouts"] + r["connect"] + r["read"] + r["write"]
        elapsed += r["duration_us"] / 1e6
        p95s.append(r["p95_us"])
        print(f"  flatness: {requests:,} requests, RSS {server.rss_mb():.0f} MB", flush=True)
    peak = sampler.stop()
    end = server.rss_mb()
    # A worker killed and replaced mid-run (timeout) starts small again and would hide a leak.
    restarted = sorted(server.pids()) != pids_before
    r = {"requests": requests, "rps": requests / elapsed, "p95_us": statistics.median(p95s), "errors": errors}
    out = {
        "requests": r["requests"],
        "rps": r["rps"],
        "rss_start_mb": start,
        "rss_end_mb": end,
        "rss_peak_mb": peak,
        "growth": (end - start) / start,
        "workers_restarted": restarted,
        "p95_us": r["p95_us"],
        "errors": r["errors"],
        "load1_before": load_before,
        "load1_after": os.getloadavg()[0],
        "samples_mb": sampler.samples,
    }
    print(
        f"  flatness: {r['requests']} requests at {r['rps']:.0f}/s, RSS {start:.0f} -> {end:.0f} MB "
        f"(peak {peak:.0f}), growth {out['growth'] * 100:+.1f}%, workers restarted: {restarted}",
        flush=True,
    )
    return out


def compare_servers(args: argparse.Namespace, dataset: dict[str, Any]) -> dict[str, Any]:
    """Throughput of a cheap and a mid-weight read on each server configuration."""
    out: dict[str, Any] = {}
    configs = [("gunicorn", 2), ("gunicorn", 4), ("gthread", 2), ("uvicorn", 2), ("uvicorn", 4)]
    detail = dataset["detail_ticket_ids"]
    for kind, workers in configs:
        with Server(args, kind, workers) as server:
            token = token_for(args.port, dataset["agent"]["email"], dataset["password"])
            ctoken = token_for(args.port, dataset["customer"]["email"], dataset["password"])
            probes = {
                "customer_list": lua_script(
                    ["/api/support/tickets/?page_size=25"], token=ctoken, method="GET", body=None
                ),
                "detail": lua_script(
                    [f"/api/support/tickets/{t}/" for t in detail], token=token, method="GET", body=None
                ),
            }
            for name, script in probes.items():
                wrk(script, port=args.port, duration=2, connections=args.connections, timeout=args.timeout)
                r = measure(server, script, args, args.duration)
                out[f"{kind}-{workers}/{name}"] = r
                print(
                    f"  {kind:9} w={workers}  {name:14} {r['rps']:7.1f} req/s  p50 {r['p50_us'] / 1000:6.1f} ms  "
                    f"p95 {r['p95_us'] / 1000:6.1f} ms  rss {r['peak_rss_mb']:5.0f} MB  cpu/req app {r['server_cpu_ms']:5.1f} "
                    f"db {r['db_cpu_ms']:5.1f} ms  load {r['load1_before']:.2f}",
                    flush=True,
                )
    return out


# --- report -------------------------------------------------------------------------------------


def fmt_ms(us: float) -> str:
    return f"{us / 1000:.1f}" if us < 100_000 else f"{us / 1000:,.0f}"


def _cpu(m: dict[str, Any]) -> str:
    if "server_cpu_ms" not in m:
        return "–"
    if m["server_cpu_ms"] < 0:  # a worker was killed (timeout) and took its CPU count with it
        return f"n/a + {max(m['db_cpu_ms'], 0):.0f}"
    return f"{m['server_cpu_ms']:.1f} + {max(m['db_cpu_ms'], 0):.1f}"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Measured {report['started_at']} on {report['machine']}; server `{report['server']}`, "
        f"wrk -t1 -c{report['connections']}, {report['runs']} runs of {report['duration']} s (longer, up to 10× one "
        "request's time, for slow scenarios), median shown. CPU per request: gunicorn's processes + "
        "PostgreSQL's; n/a when workers were killed mid-run.",
        "",
        "| scenario | p50 ms | p95 ms | p99 ms | req/s | CPU ms/req app + db | peak RSS MB | limit req/s | "
        "limit p95 ms | limit CPU ms/req | ratio to limit (req/s) | target | met? | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for _name, r in report["scenarios"].items():
        e = r["endpoint"]["median"]
        lim = r.get("limit", {}).get("median")
        targets, met = [], []
        if r["target_p95_ms"] is not None:
            targets.append(f"p95 ≤ {r['target_p95_ms']:g} ms")
            met.append(e["p95_us"] / 1000 <= r["target_p95_ms"])
        if r["target_rps"] is not None:
            targets.append(f"≥ {r['target_rps']:g}/s")
            met.append(e["rps"] >= r["target_rps"])
        if r["target_ratio"] is not None and "ratio_rps" in r:
            targets.append(f"≥ {r['target_ratio'] * 100:.0f}% of limit")
            met.append(r["ratio_rps"] >= r["target_ratio"])
        err = f" ({e['errors']} errors)" if e["errors"] else ""
        lines.append(
            f"| {r['title']}{err} | {fmt_ms(e['p50_us'])} | {fmt_ms(e['p95_us'])} | {fmt_ms(e['p99_us'])} | "
            f"{e['rps']:.1f} | {_cpu(e)} | {e['peak_rss_mb']:.0f} | "
            + (
                f"{lim['rps']:.1f} | {fmt_ms(lim['p95_us'])} | {_cpu(lim)} | {r['ratio_rps'] * 100:.1f}% | "
                if lim
                else "– | – | – | – | "
            )
            + f"{', '.join(targets)} | {'yes' if met and all(met) else 'no'} | "
            f"{e['load1_before']:.1f} |"
        )
    if report.get("flatness"):
        f = report["flatness"]
        lines += [
            "",
            f"Memory flatness: {f['requests']:,} requests at {f['rps']:.0f}/s; server RSS {f['rss_start_mb']:.0f} MB "
            f"at start, {f['rss_end_mb']:.0f} MB at end (peak {f['rss_peak_mb']:.0f} MB): "
            f"{f['growth'] * 100:+.1f}% (target ≤ +10%); {f['errors']} errors; workers restarted during the run: "
            f"{'yes (the figure does not count)' if f.get('workers_restarted') else 'no'}.",
        ]
    return "\n".join(lines) + "\n"


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "desk", "config"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        return head.strip() + ("+local changes" if dirty.strip() else "")
    except OSError:
        return "unknown"


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(f"Stopped by signal {signum}")  # unwinds the `with Server`, which stops the server


def main(argv: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--server", choices=["gunicorn", "gthread", "uvicorn"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--max-duration", type=int, default=120, help="longest run for slow scenarios (s)")
    parser.add_argument("--timeout", type=int, default=60, help="wrk's request timeout (s)")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument(
        "--max-load", type=float, default=0.0, help="before each run, wait until the 1-minute load is at most this"
    )
    parser.add_argument("--no-limits", action="store_true", help="skip the bare-SQL limit runs")
    parser.add_argument("--flatness", type=int, default=0, help="also run N requests and compare server RSS")
    parser.add_argument("--compare-servers", action="store_true")
    parser.add_argument("--dataset", type=Path, default=RESULTS_DIR / "dataset.json")
    parser.add_argument("--label", default="")
    parser.add_argument("--report", type=Path, help="only print the table of a saved results .json")
    args = parser.parse_args(argv)
    if args.report:
        print(markdown(json.loads(args.report.read_text())))
        return
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("Set DATABASE_URL (or --database-url) to the loaded PostgreSQL database, e.g. .../desk_bench.")
    dataset = json.loads(args.dataset.read_text())
    started = dt.datetime.now(dt.UTC)
    machine = f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, code {git_state()}"
    stamp = started.strftime("%Y%m%d-%H%M%S") + (f"-{args.label}" if args.label else "")
    RESULTS_DIR.mkdir(exist_ok=True)

    migrate(args)
    if args.compare_servers:
        out = compare_servers(args, dataset)
        (RESULTS_DIR / f"servers-{stamp}.json").write_text(json.dumps(out, indent=1))
        return

    selected = [s for s in scenarios(dataset) if not args.only or s.name in args.only.split(",")]
    report: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine,
        "server": " ".join(server_command(args.server, args.workers, args.port)[1:]),
        "connections": args.connections,
        "runs": args.runs,
        "duration": args.duration,
        "scenarios": {},
    }
    with Server(args, args.server, args.workers) as server:
        tokens = {
            k: token_for(args.port, dataset[k]["email"], dataset["password"]) for k in ("agent", "customer", "writer")
        }
        for sc in selected:
            report["scenarios"][sc.name] = run_scenario(server, sc, tokens, args)
            (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, indent=1))  # keep what is done
        if args.flatness:
            report["flatness"] = flatness(server, tokens, dataset, args)
    report["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, indent=1))
    md = markdown(report)
    (RESULTS_DIR / f"{stamp}.md").write_text(md)
    print()
    print(md)
    print(f"Wrote {RESULTS_DIR / (stamp + '.json')}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
