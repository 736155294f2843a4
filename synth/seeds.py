"""Seeded randomness that does not depend on the order in which things are generated.

Every part of the world draws from its own generator, derived from the run's seed and a label
(``rng(7, "vendor", 12)``), through SHA-256 rather than Python's ``hash`` (salted per process).
Adding a scenario or a rendering therefore leaves every other part's numbers as they were, and a
worker process renders an invoice exactly as the parent would have.
"""

from __future__ import annotations

import hashlib
import random

import numpy as np


def derive_seed(seed: int, *labels: object) -> int:
    text = "|".join([str(seed), *(str(label) for label in labels)])
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def rng(seed: int, *labels: object) -> random.Random:
    return random.Random(derive_seed(seed, *labels))


def np_rng(seed: int, *labels: object) -> np.random.Generator:
    return np.random.default_rng(derive_seed(seed, *labels))


def token(seed: int, *labels: object, length: int = 16) -> str:
    """A stable hex token, e.g. for Message-IDs and MIME boundaries."""
    text = "|".join([str(seed), *(str(label) for label in labels)])
    return hashlib.sha256(text.encode()).hexdigest()[:length]
