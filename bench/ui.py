"""Review UI server time with 10,000 open items: the queue (default, filtered and sorted, deep pages), the
approvals inbox, the invoice screen, the API and the dashboard, on SQLite (the embedded default) and on
PostgreSQL. Times are the app's own (its ``Server-Timing`` header, so the test client's overhead is not
counted); the baseline, measured in the same run, is ``/healthz`` through the same stack. Target: the
queue page and the invoice screen under 300 ms.

    .venv/bin/python bench/ui.py [--open 10000] [--history 20000] [--rounds 25] [--db both|sqlite|postgres]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from models.base import utcnow
from models.db import transaction
from models.roles import Role
from payables.pipeline import Pipeline
from payables.runtime import Runtime
from payables.settings import load_settings
from review_ui import AppContext, create_app
from review_ui.auth.sessions import SESSION_COOKIE, open_session
from tests.review_ui.backlog import fill_backlog
from tests.review_ui.factories import SECRET, make_user
from tests.support.servers import postgres_server


@contextmanager
def database(kind: str) -> Iterator[dict[str, str]]:
    if kind == "sqlite":
        yield {}
        return
    with postgres_server() as pg:
        yield {"database_url": pg.create_database("bench_ui")}


def server_ms(client: TestClient, url: str) -> float:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.text[:300]}")
    timing = response.headers["server-timing"]
    return float(timing.split("dur=")[1])


def measure(kind: str, open_items: int, history: int, rounds: int) -> list[tuple[str, float, float]]:
    with database(kind) as extra, tempfile.TemporaryDirectory() as tmp:
        rt = Runtime.from_settings(load_settings(data_dir=Path(tmp), secret_key=SECRET, **extra))
        pipeline = Pipeline.build(rt)
        with transaction(rt.sessions) as db:
            clerk, _ = make_user(db, "alice", Role.CLERK, "5000")
        started = time.perf_counter()
        ids = fill_backlog(rt.sessions, rt.store, open_items=open_items, history=history, days=60)
        print(f"[{kind}] {open_items} open + {history} finished documents in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
        if kind == "postgres":
            with rt.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        ctx = AppContext(sessions=rt.sessions, store=rt.store, secret=SECRET, submit=pipeline.submit,
                         enqueue=pipeline.enqueue, retry=lambda d, a: pipeline.retry(d, actor=a),
                         secure_cookies=False)
        app = create_app(ctx)
        client = TestClient(app)
        with transaction(rt.sessions) as db:
            from models.users import User

            token, _ = open_session(db, db.get(User, clerk.id), now=utcnow(),  # type: ignore[arg-type]
                                    lifetime=ctx.session_lifetime, mfa_verified=True, user_agent="bench")
        client.cookies.set(SESSION_COOKIE, app.state.signer.sign_session(token))
        rnd = random.Random(3)
        pages = {
            "baseline /healthz": lambda: "/healthz",
            "queue, first page": lambda: "/queue",
            "queue, hold + amount + sort": lambda: "/queue?hold=PRICE_VARIANCE&amount_min=1000&sort=amount_desc",
            "queue, vendor + site + SLA": lambda: "/queue?vendor=delta&site=BER&sla=overdue",
            "queue, page 150 of 200": lambda: "/queue?page=150",
            "approvals inbox": lambda: "/approvals",
            "invoice screen (random item)": lambda: f"/documents/{rnd.choice(ids)}",
            "API queue": lambda: "/api/v1/queue?sort=due",
            "API document": lambda: f"/api/v1/documents/{rnd.choice(ids)}",
            "dashboard, 30 days": lambda: "/dashboard",
        }
        rows = []
        for name, url in pages.items():
            for _ in range(3):
                server_ms(client, url())
            times = sorted(server_ms(client, url()) for _ in range(rounds))
            rows.append((name, statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]))
        first = time.perf_counter()
        client.get(f"/documents/{ids[0]}/pages/1.png?dpi=110")
        render = (time.perf_counter() - first) * 1000
        cached = sorted(server_ms(client, f"/documents/{ids[0]}/pages/1.png?dpi=110") for _ in range(rounds))
        rows.append(("page image, first render (client-side)", render, render))
        rows.append(("page image, cached", statistics.median(cached), cached[round(0.95 * len(cached)) - 1]))
        pipeline.stop()
        rt.close()
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=10_000, help="open review items")
    parser.add_argument("--history", type=int, default=20_000, help="finished documents (dashboard history)")
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--db", choices=("both", "sqlite", "postgres"), default="both")
    args = parser.parse_args()
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    for kind in kinds:
        rows = measure(kind, args.open, args.history, args.rounds)
        base = rows[0][1]
        print(f"\n{kind}: {args.open} open items, {args.history} finished; server time in ms ({args.rounds} rounds)")
        print("| page | p50 ms | p95 ms | p50 / baseline |")
        print("|---|---|---|---|")
        for name, p50, p95 in rows:
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / base:.1f} |")
        worst = max(p95 for name, _p50, p95 in rows if name.startswith(("queue", "invoice")))
        print(f"queue and invoice screen, worst p95: {worst:.1f} ms (target < 300 ms): "
              f"{'met' if worst < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
