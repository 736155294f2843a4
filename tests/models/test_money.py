"""Amounts stay exact decimals through the database, on SQLite as on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models.db import make_engine
from models.documents import Document
from models.migrate import upgrade
from models.money import money_str, round_money, to_decimal


def test_an_amount_survives_a_round_trip_to_the_cent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    with Session(make_engine(url)) as s:
        doc = Document(sha256="b" * 64, size=1, media_type="application/pdf", source="upload",
                       total_amount=Decimal("1234567.89"))
        s.add(doc)
        s.commit()
        s.expire_all()
        again = s.get(Document, doc.id)
        assert again is not None and again.total_amount == Decimal("1234567.89")


def test_floats_never_sneak_in_as_binary_noise() -> None:
    assert to_decimal(0.1) == Decimal("0.1")
    assert round_money(Decimal("2.675")) == Decimal("2.68")
    assert money_str(Decimal("100")) == "100"


def test_booleans_are_not_amounts() -> None:
    with pytest.raises(TypeError):
        to_decimal(True)
