"""Inbound mail at volume: N raw mails through POST /api/inbound/email/ into a PostgreSQL + Redis
deployment with a Celery worker, measuring the accept latency (p50/p95/p99 of the 202) and the
end-to-end rate (mail accepted → its message in the database, visible to the API).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_inbound_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python -m bench.inbound --mails 10000

The database is emptied of tickets first (it is the benchmark's own); mails come from 2,000
senders, a quarter of them replies to a ticket opened earlier in the run (threaded by the reply
address), a few with a small attachment. Results: bench/results/inbound.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from bench.run import RESULTS_DIR, ROOT, VENV_BIN, Server, migrate, server_env

TOKEN = "bench-inbound-token-0123456789abcdef"


def build_mail(i: int, *, reply_to: str | None, rng: random.Random) -> bytes:
    message = EmailMessage()
    sender = f"customer{rng.randrange(2000)}@mail.example.org"
    message["From"] = f"Customer {i} <{sender}>"
    message["To"] = reply_to or "support@example.com"
    message["Subject"] = f"Re: booking {i}" if reply_to else f"Booking {i}: the provider did not come"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@mail.example.org>"
    body = "Hello,\n\nThe cleaner I booked for Saturday never arrived. Please refund me.\n\nThanks\n"
    if reply_to:
        body = "Still waiting, please help.\n\nOn Mon, 1 Dec 2026, Support Desk wrote:\n> We are looking into it.\n"
    message.set_content(body)
    if i % 20 == 0:
        message.add_attachment(b"booking reference 12345\n", maintype="text", subtype="plain", filename="ref.txt")
    return message.as_bytes()


def post_all(mails: list[bytes], *, port: int, concurrency: int, rate: float) -> list[float]:
    """POST every mail over `concurrency` keep-alive connections, offered at `rate` mails per
    second (0: as fast as they are accepted); returns the accept latencies (s), each from the
    moment its mail was due, so that a server falling behind shows as latency."""
    latencies: list[float] = []
    lock = threading.Lock()
    index = iter(range(len(mails)))
    errors: list[str] = []
    start = time.perf_counter()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while True:
            with lock:
                i = next(index, None)
            if i is None:
                break
            due = start + i / rate if rate else time.perf_counter()
            time.sleep(max(0.0, due - time.perf_counter()))
            started = due if rate else time.perf_counter()
            connection.request(
                "POST",
                "/api/inbound/email/",
                body=mails[i],
                headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "message/rfc822"},
            )
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 202:
                errors.append(f"{response.status}")
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} mails were not accepted: {sorted(set(errors))}")
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, default=50.0, help="mails offered per second (0: flat out)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"))
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of the benchmark's own.")
    # The confirmations and notices the mails cause are recorded and sent by the worker too; the
    # dummy backend stands in for the mail server (the bench measures the inbound side).
    os.environ.update(
        {
            "INBOUND_EMAIL_TOKEN": TOKEN,
            "RATE_LIMIT_INBOUND_EMAIL": "1000000000",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
    )
    migrate(args)
    env = server_env(args)
    subprocess.run(
        [str(VENV_BIN / "python"), "-c", _RESET],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    subprocess.run(  # tasks of an earlier, interrupted run would be worked through first
        [str(VENV_BIN / "celery"), "-A", "config", "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    worker_log = (RESULTS_DIR / "inbound-worker.log").open("wb")
    worker = subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={args.celery_concurrency}",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=worker_log,
        start_new_session=True,
    )
    try:
        time.sleep(4)
        rng = random.Random(1042)
        with Server(args, "gunicorn", args.workers) as server:
            # A first wave opens tickets; replies to them (by their signed reply address) follow.
            first = [build_mail(i, reply_to=None, rng=rng) for i in range(args.mails * 3 // 4)]
            started = time.time()
            latencies = post_all(first, port=args.port, concurrency=args.concurrency, rate=args.rate)
            addresses = _reply_addresses(env, limit=args.mails - len(first))
            second = [build_mail(len(first) + i, reply_to=a, rng=rng) for i, a in enumerate(addresses)]
            latencies += post_all(second, port=args.port, concurrency=args.concurrency, rate=args.rate)
            accepted_in = time.time() - started
            done = _wait_processed(env, total=len(first) + len(second))
            server_cpu = server.cpu_seconds()
        report = {
            "mails": len(latencies),
            "accept_ms": {
                "p50": round(percentile(latencies, 50) * 1000, 1),
                "p95": round(percentile(latencies, 95) * 1000, 1),
                "p99": round(percentile(latencies, 99) * 1000, 1),
                "mean": round(statistics.mean(latencies) * 1000, 1),
            },
            "accepted_per_s": round(len(latencies) / accepted_in, 1),
            **done,
            "server_cpu_s": round(server_cpu, 1),
            "offered_per_s": args.rate,
            "concurrency": args.concurrency,
            "gunicorn_workers": args.workers,
            "celery_concurrency": args.celery_concurrency,
        }
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    (RESULTS_DIR / "inbound.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


_RESET = """
import django; django.setup()
from desk.support.models import Ticket
from desk.mail.models import InboundEmail
from desk.notifications.models import EmailDelivery
InboundEmail.objects.all().delete(); EmailDelivery.objects.all().delete(); Ticket.objects.all().delete()
"""

_REPLY_ADDRESSES = """
import django, json, sys; django.setup()
from desk.notifications.threading import reply_address
from desk.support.models import Ticket
numbers = Ticket.objects.order_by("?").values_list("number", flat=True)[: int(sys.argv[1])]
print(json.dumps([reply_address(n) for n in numbers]))
"""

_PROGRESS = """
import django, json; django.setup()
from django.db.models import Max, Min, Count, F
from desk.mail.models import InboundEmail
left = InboundEmail.objects.filter(status="received").count()
agg = InboundEmail.objects.aggregate(first=Min("received_at"), last=Max("processed_at"), n=Count("id"))
by_status = dict(InboundEmail.objects.values_list("status").annotate(n=Count("id")))
lags = sorted(
    (m.created_at - r).total_seconds()
    for r, m in (
        (i.received_at, i.message) for i in InboundEmail.objects.select_related("message").exclude(message=None)
    )
)
print(json.dumps({
    "left": left, "n": agg["n"], "by_status": by_status,
    "span_s": (agg["last"] - agg["first"]).total_seconds() if agg["last"] else None,
    "lag_p50_s": lags[len(lags) // 2] if lags else None,
    "lag_p95_s": lags[int(len(lags) * 0.95)] if lags else None,
}))
"""


def _django(env: dict[str, str], code: str, *args: str) -> Any:
    out = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code, *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _reply_addresses(env: dict[str, str], *, limit: int) -> list[str]:
    deadline = time.time() + 600
    while time.time() < deadline:  # replies need their tickets to exist
        addresses = _django(env, _REPLY_ADDRESSES, str(limit))
        if len(addresses) >= min(limit, 1):
            return (addresses * (limit // max(len(addresses), 1) + 1))[:limit]
        time.sleep(1)
    raise SystemExit("No ticket was made from the first wave of mails.")


def _wait_processed(env: dict[str, str], *, total: int) -> dict[str, Any]:
    deadline = time.time() + 3600
    while time.time() < deadline:
        progress = _django(env, _PROGRESS)
        if progress["left"] == 0 and progress["n"] >= total:
            span = progress["span_s"] or 0.0
            return {
                "processed_per_s_end_to_end": round(total / span, 1) if span else None,
                "end_to_end_span_s": round(span, 1),
                "by_status": progress["by_status"],
                "accepted_to_visible_p50_s": round(progress["lag_p50_s"], 2),
                "accepted_to_visible_p95_s": round(progress["lag_p95_s"], 2),
            }
        time.sleep(2)
    raise SystemExit("The worker did not finish processing within an hour.")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
