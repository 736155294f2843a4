"""One posting in its own process, for the kill test: ``python -m tests.erp.post_once URL DB_URL DOC KEY``.

It posts the received part of order 603 of ``make_snapshot`` (the same bill the test checks)."""

from __future__ import annotations

import sys

from erp.client import OdooClient, OdooConfig
from erp.posting import PostingPolicy, post_vendor_bill
from models.db import make_engine, make_session_factory
from tests.erp.bills import attachment, received_bill
from tests.erp.snapshots import make_snapshot

POLICY = PostingPolicy(accounts={"default": "600000"}, request_limit_s=0.2)


def main(url: str, db_url: str, document_id: int, key: str, api_key: str) -> int:
    sessions = make_session_factory(make_engine(db_url))
    client = OdooClient(OdooConfig(url, "sandbox", "admin", api_key, timeout_s=60))
    draft = received_bill(make_snapshot(orders=12))
    outcome = post_vendor_bill(client, sessions, document_id=document_id, key=key, draft=draft,
                               attachment=attachment(draft.ref), policy=POLICY)
    print(outcome.status, outcome.move_id)
    return 0 if outcome.status == "posted" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]))
