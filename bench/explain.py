"""Capture the SQL each benchmarked read endpoint issues and EXPLAIN (ANALYZE, BUFFERS) the slow ones.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python -m bench.explain [--min-ms 5] [--only queue_first,search]

Requests go through Django's test client (the real URL, views, selectors and pagination), with
the same query strings as the load benchmark. Each request runs twice (the first warms caches);
the queries of the second are timed, and every SELECT slower than --min-ms is explained.
Writes bench/results/explain-<timestamp>.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-ms", type=float, default=5.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--dataset", type=Path, default=RESULTS_DIR / "dataset.json")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("Set DATABASE_URL to the loaded PostgreSQL database.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-explain")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("RATE_LIMIT_DEFAULT", "1000000000")
    os.environ.setdefault("RATE_LIMIT_TICKET_CREATE", "1000000000")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework_simplejwt.tokens import AccessToken

    from bench.run import scenarios
    from desk.accounts.models import User

    dataset = json.loads(args.dataset.read_text())
    users = {k: User.objects.get(pk=dataset[k]["id"]) for k in ("agent", "customer")}
    tokens = {k: str(AccessToken.for_user(u)) for k, u in users.items()}
    out = [f"# EXPLAIN of the read endpoints ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, desk_bench)", ""]
    for sc in scenarios(dataset):
        if sc.method != "GET" or (args.only and sc.name not in args.only.split(",")):
            continue
        client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens[sc.user]}")
        path = sc.paths[0]
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        queries = captured.captured_queries
        db_ms = sum(float(q["time"]) * 1000 for q in queries)
        out += [
            f"## {sc.title} — `GET {path}`",
            "",
            f"{response.status_code}; {elapsed:.1f} ms in the view, {len(queries)} queries, {db_ms:.1f} ms in SQL.",
            "",
        ]
        for q in queries:
            ms = float(q["time"]) * 1000
            sql = q["sql"]
            out.append(f"- {ms:8.1f} ms  `{sql[:160]}{'…' if len(sql) > 160 else ''}`")
        out.append("")
        for q in queries:
            ms = float(q["time"]) * 1000
            sql = q["sql"]
            if ms < args.min_ms or not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cur.fetchall())
            out += [f"### {ms:.1f} ms", "", "```sql", sql, "```", "", "```", plan, "```", ""]
        print(f"{sc.name:24} {response.status_code} {elapsed:9.1f} ms, {len(queries)} queries", flush=True)
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"explain-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.md"
    path.write_text("\n".join(out) + "\n")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
