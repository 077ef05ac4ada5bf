"""Time the SLA alert job (`desk.sla.services.sla_check`, what beat runs every minute) at the
benchmark's 1M tickets: nothing due, then 1,000 and 10,000 tickets due.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_bench .venv/bin/python -m bench.sla
    .venv/bin/python -m bench.sla --due 1000 --runs 5 --in-place     # on desk_bench itself

Runs on a copy of the loaded database (`CREATE DATABASE … TEMPLATE`, dropped at the end), so the
alerts it sends leave the data set as it was; `--in-place` runs on the database itself. The job
runs in this process with production settings (DEBUG off, `REDIS_URL` set, so the cache and the
live events go to Redis and the email deliveries are recorded, rendered and queued as tasks on a
queue of their own, `CELERY_QUEUE=bench-sla`, emptied at the end: the sending itself is the
worker's, as in production, and not timed).

1. Catch up: the data set's "now" is its load time, so the alerts that fell due since are sent
   first, as the scheduler would have (runs at an instant T0, the start, until one sends
   nothing). On this data set about one alert falls due every second, so the job's `now` stays
   T0 from here on (nothing due at T0 once caught up; the real clock would add a few).
2. Nothing due: `sla_check(now=T0)`, median of --runs runs.
3. N due (each of --due): the job runs at the instant T when exactly N tickets are due (the N-th
   soonest `next_alert_at`: no data is rewritten, time moves), with `limit=N`; a second run at T
   must send nothing. Reported: wall time, alerts sent, SQL statements, notifications and email
   deliveries written, escalations.

Results: bench/results/sla-<timestamp>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
QUEUE = "bench-sla"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


def copy_database(url: str, copy: str) -> float:
    """A copy of the loaded database (no session may be connected to it meanwhile)."""
    source = urlsplit(url).path.lstrip("/")
    started = time.perf_counter()
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}" STRATEGY FILE_COPY')
    return time.perf_counter() - started


def drop_database(url: str, name: str) -> None:
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load1() -> float:
    return os.getloadavg()[0]


class Counter:
    """Counts the SQL statements a block runs (a database execute wrapper: no debug cursor)."""

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements += 1
        return execute(sql, params, many, context)


def _count(sql: str, params: Any = None) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def _rows_written() -> dict[str, int]:
    return {
        "notifications": _count("SELECT count(*) FROM notifications_notification"),
        "email_deliveries": _count("SELECT count(*) FROM notifications_emaildelivery"),
        "escalations": _count("SELECT count(*) FROM support_ticketevent WHERE kind = 'escalated'"),
        "missed_events": _count("SELECT count(*) FROM support_ticketevent WHERE kind = 'sla_missed'"),
    }


def timed_check(
    *, now: dt.datetime | None = None, limit: int | None = None, profile: Path | None = None
) -> dict[str, Any]:
    """One run of the job, with what it did (`profile`: under cProfile, the top functions by
    cumulative time written there; the time then includes the profiler's overhead)."""
    from django.db import connection

    from desk.sla import services

    before = _rows_written()
    counter = Counter()
    load = load1()
    kwargs: dict[str, Any] = {"now": now}
    if limit is not None:
        kwargs["limit"] = limit
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        cpu = time.process_time()
        if profiler is not None:
            profiler.enable()
        sent = services.sla_check(**kwargs)
        if profiler is not None:
            profiler.disable()
        cpu = time.process_time() - cpu
        seconds = time.perf_counter() - started
    if profiler is not None and profile is not None:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        profile.write_text(out.getvalue())
    after = _rows_written()
    return {
        "seconds": seconds,
        "process_cpu_seconds": cpu,
        "sent": sent,
        "statements": counter.statements,
        "load1_before": load,
        **{k: after[k] - before[k] for k in after},
    }


def due_at(n: int) -> tuple[dt.datetime, int]:
    """The instant at which exactly `n` tickets are due (the n-th soonest next alert), and how
    many tickets are due then (n, unless next alerts tie)."""
    from desk.sla.models import TicketSla

    moment = (
        TicketSla.objects.filter(next_alert_at__isnull=False)
        .order_by("next_alert_at")
        .values_list("next_alert_at", flat=True)[n - 1]
    )
    return moment, TicketSla.objects.filter(next_alert_at__lte=moment).count()


def wait_for_quiet(max_load: float, max_wait: float, log: Any) -> float:
    deadline = time.time() + max_wait
    while load1() > max_load and time.time() < deadline:
        log(f"  load {load1():.2f} > {max_load}: waiting")
        time.sleep(30)
    return load1()


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Measured {report['started_at']} on {report['machine']}, database `{report['database']}` "
        f"({report['tickets']:,} tickets, {report['tracked']:,} with an SLA, {report['running']:,} running clocks).",
        "",
        "| run | tickets due | alerts sent | wall s | per due ticket ms | SQL statements | notifications | "
        "email deliveries | escalations | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["rows"]:
        per = f"{row['seconds'] * 1000 / row['due']:.1f}" if row["due"] else "–"
        lines.append(
            f"| {row['label']} | {row['due']:,} | {row['sent']:,} | {row['seconds']:.3f} | {per} | "
            f"{row['statements']:,} | {row['notifications']:,} | {row['email_deliveries']:,} | "
            f"{row['escalations']:,} | {row['load1_before']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--runs", type=int, default=5, help="runs of the nothing-due case")
    parser.add_argument("--due", default="1000,10000", help="comma-separated numbers of tickets due")
    parser.add_argument("--in-place", action="store_true", help="run on the database itself, not a copy")
    parser.add_argument("--keep-copy", action="store_true", help="keep the copy afterwards")
    parser.add_argument("--max-load", type=float, default=2.5, help="wait for the 1-minute load to fall below")
    parser.add_argument("--max-wait", type=float, default=600, help="longest wait for a quiet machine (s)")
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", type=int, default=0, help="also profile a run with this many tickets due")
    args = parser.parse_args(argv)
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("Set DATABASE_URL (or --database-url) to the loaded PostgreSQL database, e.g. .../desk_bench.")

    def log(text: str) -> None:
        print(text, flush=True)

    started = dt.datetime.now(dt.UTC)
    source = urlsplit(url).path.lstrip("/")
    database = source if args.in_place else f"{source}_sla"
    copy_seconds = None
    if not args.in_place:
        log(f"copying {source} to {database} ...")
        copy_seconds = copy_database(url, database)
        log(f"  copied in {copy_seconds:.1f} s")
    # Production settings, in this process (the caller's environment wins where it sets them).
    os.environ["DATABASE_URL"] = _with_database(url, database)
    for key, value in {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-sla-secret-key-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }.items():
        os.environ.setdefault(key, value)
    os.environ.update(
        {"REDIS_URL": args.redis_url, "CELERY_QUEUE": QUEUE, "CACHE_KEY_PREFIX": QUEUE, "CHANNELS_PREFIX": QUEUE}
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from desk.sla.models import TicketSla

    assert not settings.DEBUG and not settings.CELERY_TASK_ALWAYS_EAGER
    report: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores",
        "database": database,
        "copy_seconds": copy_seconds,
        "settings": {"DEBUG": settings.DEBUG, "REDIS_URL": args.redis_url, "CELERY_QUEUE": QUEUE},
        "tickets": _count("SELECT count(*) FROM support_ticket"),
        "tracked": TicketSla.objects.count(),
        "running": TicketSla.objects.filter(paused=False).count(),
        "rows": [],
    }
    try:
        # 1. catch up with the real time (T0)
        start = dt.datetime.now(dt.UTC)
        loaded = dt.datetime.fromisoformat(
            json.loads((RESULTS_DIR / "dataset.json").read_text())["sla"]["now"]
        ) if (RESULTS_DIR / "dataset.json").exists() else None  # fmt: skip
        caught = {"at": start.isoformat(), "runs": 0, "sent": 0, "seconds": 0.0,
                  "due": TicketSla.objects.filter(next_alert_at__lte=start).count()}  # fmt: skip
        if loaded is not None:
            caught["minutes_since_load"] = (start - loaded).total_seconds() / 60
            caught["due_per_minute"] = caught["due"] / max(caught["minutes_since_load"], 1e-9)
        load = wait_for_quiet(args.max_load, args.max_wait, log)
        runs = []
        while True:
            run = timed_check(now=start)
            runs.append(run)
            if not run["sent"]:
                break
        caught["runs"] = len(runs)
        for key in ("sent", "seconds", "process_cpu_seconds", "statements", "notifications", "email_deliveries",
                    "escalations", "missed_events"):  # fmt: skip
            caught[key] = sum(r[key] for r in runs)
        report["catch_up"] = caught
        report["rows"].append(
            {"label": f"catch-up: due since the load ({len(runs)} runs of ≤ 1,000)", **caught, "load1_before": load}
        )
        log(
            f"caught up: {caught['due']} tickets due since the load "
            f"({caught.get('due_per_minute', 0):.0f} a minute), {caught['sent']} alerts in {caught['runs']} runs, "
            f"{caught['seconds']:.1f} s"
        )

        # 2. nothing due
        load = wait_for_quiet(args.max_load, args.max_wait, log)
        runs = [timed_check(now=start) for _ in range(args.runs)]
        assert all(r["sent"] == 0 for r in runs)
        nothing = {
            "label": f"nothing due (median of {args.runs})",
            "due": 0,
            **{k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "load1_before"},
            "max_seconds": max(r["seconds"] for r in runs),
            "load1_before": load,
            "runs": runs,
        }
        report["rows"].append(nothing)
        log(f"nothing due: median {nothing['seconds'] * 1000:.1f} ms, max {nothing['max_seconds'] * 1000:.1f} ms")
        with connection.cursor() as cur:
            cur.execute(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT ticket_id FROM sla_ticketsla WHERE next_alert_at <= %s "
                "ORDER BY next_alert_at LIMIT 1000",
                [start],
            )
            report["due_query_plan"] = "\n".join(row[0] for row in cur.fetchall())

        # 3. N due
        for n in [int(x) for x in args.due.split(",") if x.strip()]:
            moment, due = due_at(n)
            load = wait_for_quiet(args.max_load, args.max_wait, log)
            run = timed_check(now=moment, limit=n)
            again = timed_check(now=moment, limit=n)
            row = {
                "label": f"{n:,} due",
                "due": due,
                "at": moment.isoformat(),
                **run,
                "load1_before": load,
                "second_run": again,
            }
            report["rows"].append(row)
            log(
                f"{n:,} due (at {moment:%Y-%m-%d %H:%M:%S}, {due} tickets): {run['sent']} alerts in {run['seconds']:.2f} s "
                f"({run['seconds'] * 1000 / max(due, 1):.1f} ms a ticket), {run['statements']} statements; "
                f"second run: {again['sent']} alerts in {again['seconds'] * 1000:.1f} ms"
            )
            assert again["sent"] == 0, "a second run sent alerts again"
            row["second_run_ok"] = True
        if args.profile:
            moment, due = due_at(args.profile)
            path = RESULTS_DIR / f"sla-profile-{started:%Y%m%d-%H%M%S}.txt"
            RESULTS_DIR.mkdir(exist_ok=True)
            run = timed_check(now=moment, limit=args.profile, profile=path)
            report["profile"] = {"due": due, "path": str(path), **run}
            log(f"profiled {due} due: {run['seconds']:.2f} s under cProfile; {path}")
    finally:
        connection.close()
        try:
            import redis

            client = redis.Redis.from_url(args.redis_url)
            report["queued_tasks_dropped"] = client.llen(QUEUE)
            client.delete(QUEUE)
        except Exception as exc:
            log(f"could not empty the {QUEUE} queue: {exc}")
        if not args.in_place and not args.keep_copy:
            drop_database(url, database)
    report["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        report["code"] = head.stdout.strip()
    except OSError:
        pass
    stamp = started.strftime("%Y%m%d-%H%M%S") + (f"-{args.label}" if args.label else "")
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"sla-{stamp}.json").write_text(json.dumps(report, indent=1, default=str))
    md = markdown(report)
    (RESULTS_DIR / f"sla-{stamp}.md").write_text(md + "\n```\n" + report.get("due_query_plan", "") + "\n```\n")
    print()
    print(md)
    print(f"Wrote {RESULTS_DIR / f'sla-{stamp}.json'}")


if __name__ == "__main__":
    main()
