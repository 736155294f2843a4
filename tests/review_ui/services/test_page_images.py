"""The viewer draws each page the way its words were read, and caches the drawing."""

from __future__ import annotations

import io

from PIL import Image

from models.db import transaction
from models.documents import Page
from review_ui.services.page_images import image_key, page_png
from tests.review_ui.conftest import World
from tests.review_ui.factories import make_invoice


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_a_page_ocr_read_turned_is_drawn_turned_the_same_way(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        made = make_invoice(db, world.rt.store)
        doc_id, sha = made.document.id, made.document.sha256
    upright = page_png(world.ctx, doc_id, 1, 72)
    with transaction(world.rt.sessions) as db:
        page = db.query(Page).filter_by(document_id=doc_id, number=1).one()
        page.rotation = 90
    turned = page_png(world.ctx, doc_id, 1, 72)
    width, height = _size(upright)
    assert width < height and _size(turned) == (height, width)
    assert world.rt.store.exists(image_key(sha, 1, 72)) and world.rt.store.exists(image_key(sha, 1, 72, 90))
