"""Errors the review services raise beyond the project's shared ones."""

from __future__ import annotations

from models.errors import PayablesError


class InvalidInput(PayablesError):
    """What the user typed cannot be accepted; ``fields`` says which field and why."""

    code = "invalid_input"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class NotFound(PayablesError):
    code = "not_found"
