"""Killing the process at any point of a posting and running it again yields exactly one bill, posted,
with one attachment.

A first posting records the calls it makes. Then, for every call, a fresh Odoo and database: the
sandbox holds that call (before it runs, and for calls that change something also after it committed
but before the answer), the posting process is killed with SIGKILL right there, the held call is let
go (Odoo finishes what it received, as a real server does), and the posting is run again to the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from erp.client import OdooClient
from erp.posting import bills_for, post_vendor_bill
from erp.sandbox import SandboxServer, new_world
from models.postings import Posting
from tests.erp.bills import attachment, received_bill
from tests.erp.conftest import API_KEY, make_client
from tests.erp.post_once import POLICY
from tests.erp.snapshots import make_snapshot
from tests.erp.test_posting import new_document

ROOT = Path(__file__).resolve().parents[2]
WRITES = ("create", "write", "action_post", "unlink")


def run_posting(server: SandboxServer, db_url: str, doc: int, key: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.erp.post_once", server.url, db_url, str(doc), key, API_KEY],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def kill_points(snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> list[tuple[str, str, int, str]]:
    """(model, method, how many earlier calls of it to let pass, before|after) for every call."""
    with SandboxServer(new_world(snapshot=snapshot, api_key=API_KEY)) as server, make_client(server) as odoo:
        doc, key = new_document(sessions, "dry-run")
        draft = received_bill(snapshot)
        post_vendor_bill(odoo, sessions, document_id=doc, key=key, draft=draft, attachment=attachment(), policy=POLICY)
        calls = list(server.call_log)
    seen: Counter[str] = Counter()
    points = []
    for call in calls:
        model, _, method = call.rpartition(".")
        points.append((model, method, seen[call], "before"))
        if method in WRITES:
            points.append((model, method, seen[call], "after"))
        seen[call] += 1
    return points


@pytest.mark.slow
def test_a_posting_killed_at_any_point_and_run_again_makes_exactly_one_bill(
        migrated_db: Path, tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    snapshot = make_snapshot(orders=12)
    points = kill_points(snapshot, sessions)
    assert len(points) >= 10 and ("account.move", "create", 0, "after") in points, points
    import shutil

    from models.db import make_engine, make_session_factory

    for n, (model, method, skip, when) in enumerate(points):
        db = tmp_path / f"kill-{n}.db"
        shutil.copy(migrated_db, db)
        db_url = f"sqlite:///{db}"
        case_sessions = make_session_factory(make_engine(db_url))
        doc, key = new_document(case_sessions)
        with SandboxServer(new_world(snapshot=snapshot, api_key=API_KEY)) as server:
            server.add_fault("hold", model=model, method=method, skip=skip, when=when)
            proc = run_posting(server, db_url, doc, key)
            held = server.faults.held_event.wait(30)
            assert held, f"the posting never reached {model}.{method} #{skip}: {proc.communicate()}"
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            server.faults.release()
            assert server.wait_idle()
            with make_client(server) as odoo:
                time.sleep(0.25)  # past the policy's request limit: a create sent unanswered is settled by now
                outcome = post_vendor_bill(odoo, case_sessions, document_id=doc, key=key,
                                           draft=received_bill(snapshot), attachment=attachment(), policy=POLICY)
                check_exactly_one_bill(odoo, case_sessions, outcome, f"killed {when} {model}.{method} #{skip}")


def check_exactly_one_bill(odoo: OdooClient, sessions: sessionmaker[Session], outcome: Any, case: str) -> None:
    draft = received_bill(make_snapshot(orders=12))
    scoped = odoo.for_companies([draft.company_id])
    bills = bills_for(scoped, partner_id=draft.partner_id, ref=draft.ref)
    assert bills == [outcome.move_id], case
    assert scoped.read("account.move", bills, ["state"])[0]["state"] == "posted", case
    files = scoped.search("ir.attachment", [("res_model", "=", "account.move"), ("res_id", "=", bills[0])])
    assert len(files) == 1, case
    with sessions() as s:
        posting = s.query(Posting).one()
        assert (posting.status, posting.odoo_move_id, posting.odoo_attachment_id) == ("posted", bills[0],
                                                                                      files[0]), case
