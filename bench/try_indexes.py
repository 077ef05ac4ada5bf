"""Try the proposed indexes by hand on the benchmark database: time the queue's queries (counts,
page ids, deep pages, search) before and after creating them, then drop them again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_bench .venv/bin/python -m bench.try_indexes
        [--keep] [--skip-fts] [--repeat 5]

Each query is run --repeat times with EXPLAIN (ANALYZE, FORMAT JSON); the median execution time
and the top plan node are reported. Writes bench/results/indexes-<timestamp>.md. The indexes are
dropped at the end unless --keep, so the database stays as the migrations make it (and a later
migration that adds them does not collide).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"

PRIORITY_RANK = (
    "CASE WHEN priority = 'low' THEN 0 WHEN priority = 'medium' THEN 1 WHEN priority = 'high' THEN 2 "
    "WHEN priority = 'urgent' THEN 3 ELSE NULL END"
)

# name -> CREATE INDEX statement. Names end in _try so they never clash with a migration's.
INDEXES = {
    "ticket_created_id_try": "CREATE INDEX IF NOT EXISTS ticket_created_id_try ON support_ticket (created_at DESC, id DESC)",
    "ticket_customer_created_try": (
        "CREATE INDEX IF NOT EXISTS ticket_customer_created_try ON support_ticket (customer_id, created_at DESC, id DESC)"
    ),
    "ticket_agent_created_try": (
        "CREATE INDEX IF NOT EXISTS ticket_agent_created_try "
        "ON support_ticket (assigned_agent_id, created_at DESC, id DESC)"
    ),
    "ticket_status_created_try": (
        "CREATE INDEX IF NOT EXISTS ticket_status_created_try ON support_ticket (status, created_at DESC, id DESC)"
    ),
    "ticket_escalated_created_try": (
        "CREATE INDEX IF NOT EXISTS ticket_escalated_created_try ON support_ticket (created_at DESC, id DESC) "
        "WHERE escalated"
    ),
    "ticket_tags_try": "CREATE INDEX IF NOT EXISTS ticket_tags_try ON support_ticket USING gin (tags jsonb_path_ops)",
    "ticket_priority_rank_try": (
        f"CREATE INDEX IF NOT EXISTS ticket_priority_rank_try ON support_ticket (({PRIORITY_RANK}) DESC, "
        "created_at DESC, id DESC)"
    ),
    "ticket_title_fts_try": (
        "CREATE INDEX IF NOT EXISTS ticket_title_fts_try ON support_ticket USING gin (to_tsvector('english', title))"
    ),
    "message_fts_try": (
        "CREATE INDEX IF NOT EXISTS message_fts_try ON support_message USING gin (to_tsvector('english', message_text))"
    ),
}
FTS_INDEXES = {"ticket_title_fts_try", "message_fts_try"}


def queries(ds: dict[str, Any], deep_cursor: tuple[str, str]) -> dict[str, str]:
    me, customer = ds["agent"]["id"], ds["customer"]["id"]
    order = "ORDER BY created_at DESC, id DESC"
    sp = "status IN ('open', 'in_progress') AND priority IN ('high', 'urgent')"
    tag = f"tags @> '[\"{ds['tag']}\"]'"
    out = {
        "count: all, exact": "SELECT count(*) FROM support_ticket",
        "count: all, bounded 10,001": "SELECT count(*) FROM (SELECT 1 FROM support_ticket LIMIT 10001) s",
        "count: all, planner estimate": "SELECT reltuples::bigint FROM pg_class WHERE oid = 'support_ticket'::regclass",
        "count: status+priority, exact": f"SELECT count(*) FROM support_ticket WHERE {sp}",
        "count: status+priority, bounded": f"SELECT count(*) FROM (SELECT 1 FROM support_ticket WHERE {sp} LIMIT 10001) s",
        "count: tag, exact": f"SELECT count(*) FROM support_ticket WHERE {tag}",
        "count: tag, bounded": f"SELECT count(*) FROM (SELECT 1 FROM support_ticket WHERE {tag} LIMIT 10001) s",
        "count: escalated, exact": "SELECT count(*) FROM support_ticket WHERE escalated",
        "count: escalated, bounded": "SELECT count(*) FROM (SELECT 1 FROM support_ticket WHERE escalated LIMIT 10001) s",
        "count: mine, exact": f"SELECT count(*) FROM support_ticket WHERE assigned_agent_id = '{me}'",
        "count: customer, exact": f"SELECT count(*) FROM support_ticket WHERE customer_id = '{customer}'",
        "page ids: first": f"SELECT id FROM support_ticket {order} LIMIT 25",
        "page ids: status+priority": f"SELECT id FROM support_ticket WHERE {sp} {order} LIMIT 25",
        "page ids: mine": f"SELECT id FROM support_ticket WHERE assigned_agent_id = '{me}' {order} LIMIT 25",
        "page ids: tag": f"SELECT id FROM support_ticket WHERE {tag} {order} LIMIT 25",
        "page ids: escalated": f"SELECT id FROM support_ticket WHERE escalated {order} LIMIT 25",
        "page ids: by priority": f"SELECT id FROM support_ticket ORDER BY ({PRIORITY_RANK}) DESC, created_at DESC, "
        "id DESC LIMIT 25",
        "page ids: customer": f"SELECT id FROM support_ticket WHERE customer_id = '{customer}' {order} LIMIT 25",
        "page ids: page 2,000 by OFFSET": f"SELECT id FROM support_ticket {order} LIMIT 25 OFFSET 49975",
        "page ids: page 2,000 by keyset": f"SELECT id FROM support_ticket WHERE (created_at, id) < "
        f"('{deep_cursor[0]}', '{deep_cursor[1]}') {order} LIMIT 25",
        # The whole list statement of the limit view (deferred join) for the deep page.
        "list statement: page 2,000, deferred join": (
            "SELECT t.id, (SELECT SUBSTRING(m.message_text, 1, 100) FROM support_message m WHERE m.ticket_id = t.id "
            "ORDER BY m.created_at DESC, m.id DESC LIMIT 1), (SELECT count(*) FROM support_message m "
            "WHERE m.ticket_id = t.id AND m.is_from_customer AND NOT m.read_by_staff) "
            f"FROM (SELECT * FROM support_ticket {order} LIMIT 25 OFFSET 49975) t {order}"
        ),
    }
    for term in ds["search_terms"]:
        q = f"websearch_to_tsquery('english', '{term}')"
        match = f"to_tsvector('english', m.message_text) @@ {q}"
        out[f"search '{term}': ILIKE page ids (endpoint today)"] = (
            f"SELECT t.id FROM support_ticket t WHERE UPPER(t.title) LIKE UPPER('%{term}%') OR EXISTS (SELECT 1 "
            f"FROM support_message m WHERE m.ticket_id = t.id AND UPPER(m.message_text) LIKE UPPER('%{term}%')) "
            f"{order} LIMIT 25"
        )
        out[f"search '{term}': FTS matching messages, bounded count"] = (
            f"SELECT count(*) FROM (SELECT 1 FROM support_message m WHERE {match} LIMIT 10001) s"
        )
        out[f"search '{term}': FTS top 25 tickets ranked, all matches"] = (
            f"SELECT m.ticket_id, max(ts_rank(to_tsvector('english', m.message_text), {q})) r "
            f"FROM support_message m WHERE {match} GROUP BY 1 ORDER BY r DESC LIMIT 25"
        )
        out[f"search '{term}': FTS top 25 ranked among the first 2,000 matches"] = (
            f"SELECT ticket_id, max(ts_rank(to_tsvector('english', message_text), {q})) r FROM "
            f"(SELECT m.ticket_id, m.message_text FROM support_message m WHERE {match} LIMIT 2000) c "
            "GROUP BY 1 ORDER BY r DESC LIMIT 25"
        )
    return out


def explain(cur: Any, sql: str, repeat: int, budget: float) -> tuple[float, str, list[float]]:
    times: list[float] = []
    node = ""
    started = time.perf_counter()
    for _ in range(repeat):
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = cur.fetchone()[0][0]
        times.append(plan["Execution Time"])
        node = describe(plan["Plan"])
        if time.perf_counter() - started > budget:
            break
    return statistics.median(times), node, times


def describe(node: dict[str, Any], depth: int = 0) -> str:
    """The plan's main path in one line: node types and the indexes they use."""
    parts = []
    while node and depth < 6:
        label = node["Node Type"]
        if node.get("Index Name"):
            label += f" {node['Index Name']}"
        if node.get("Sort Method"):
            label += f" ({node['Sort Method']})"
        parts.append(label)
        children = [c for c in node.get("Plans", []) if c.get("Parent Relationship") != "SubPlan"]
        node = max(children, key=lambda c: c.get("Actual Total Time", 0)) if children else {}
        depth += 1
    return " → ".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=30, help="seconds per query at most (then fewer repeats)")
    parser.add_argument("--keep", action="store_true", help="keep the indexes afterwards")
    parser.add_argument("--skip-fts", action="store_true", help="skip the full-text indexes (minutes to build)")
    parser.add_argument("--only-after", action="store_true", help="skip the measurements before the indexes")
    parser.add_argument("--dataset", type=Path, default=RESULTS_DIR / "dataset.json")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("Set DATABASE_URL to the loaded PostgreSQL database.")
    ds = json.loads(args.dataset.read_text())
    lines = [f"# Index trial on {url.rsplit('/', 1)[-1]} ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)", ""]
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT created_at, id FROM support_ticket ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 49974")
        created, tid = cur.fetchone()
        qs = queries(ds, (created.isoformat(), str(tid)))
        if args.skip_fts:
            qs = {k: v for k, v in qs.items() if "FTS" not in k}
        before: dict[str, tuple[float, str, list[float]]] = {}
        if not args.only_after:
            for name, sql in qs.items():
                if "FTS" in name:
                    continue  # without the GIN index these scan 5M messages: not a plan anyone would run
                before[name] = explain(cur, sql, args.repeat, args.budget)
                print(f"before {name:70} {before[name][0]:10.1f} ms  {before[name][1]}", flush=True)
        cur.execute("SET maintenance_work_mem = '1GB'")
        built: dict[str, float] = {}
        for name, ddl in INDEXES.items():
            if args.skip_fts and name in FTS_INDEXES:
                continue
            started = time.perf_counter()
            cur.execute(ddl)
            built[name] = time.perf_counter() - started
            print(f"built {name} in {built[name]:.1f} s", flush=True)
        cur.execute("ANALYZE support_ticket")
        after: dict[str, tuple[float, str, list[float]]] = {}
        for name, sql in qs.items():
            if "ILIKE" in name:
                continue  # no index proposed for it
            after[name] = explain(cur, sql, args.repeat, args.budget)
            print(f"after  {name:70} {after[name][0]:10.1f} ms  {after[name][1]}", flush=True)
        cur.execute(
            "SELECT indexrelid::regclass::text, pg_size_pretty(pg_relation_size(indexrelid)) FROM pg_index "
            "WHERE indexrelid::regclass::text LIKE '%%_try'"
        )
        sizes = dict(cur.fetchall())
        if not args.keep:
            for name in INDEXES:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
    cpu = os.getloadavg()[0]
    lines += [f"Load average at the end: {cpu:.1f}. Median of up to {args.repeat} EXPLAIN ANALYZE runs.", ""]
    lines += ["| index | build s | size |", "| --- | ---: | ---: |"]
    lines += [f"| `{INDEXES[n]}` | {s:.1f} | {sizes.get(n, '?')} |" for n, s in built.items()]
    lines += ["", "| query | before ms | plan before | after ms | plan after |", "| --- | ---: | --- | ---: | --- |"]
    for name in qs:
        b, a = before.get(name), after.get(name)
        lines.append(
            f"| {name} | {f'{b[0]:.1f}' if b else '–'} | {b[1] if b else '–'} | "
            f"{f'{a[0]:.1f}' if a else '–'} | {a[1] if a else '–'} |"
        )
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"indexes-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.md"
    path.write_text("\n".join(lines) + "\n")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
