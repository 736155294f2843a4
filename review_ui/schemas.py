"""The JSON API's request and response bodies (what the OpenAPI description publishes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Me(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    approval_limit: str | None
    sites: list[str] | None = Field(description="The sites whose documents you see; null: every site (the whole "
                                                "group, including documents whose site is not known yet).")
    csrf_token: str = Field(description="Send back in the X-CSRF-Token header on every POST, PUT or DELETE.")


class QueueItem(BaseModel):
    document_id: int
    vendor_name: str | None
    invoice_number: str | None
    site: str | None
    company_id: int | None
    currency: str | None
    total_amount: str | None
    received_at: datetime
    due_at: datetime | None
    sla: str | None
    assignee: str | None
    queue: str
    required_role: str
    waiting_for_information: bool
    holds: list[str]


class QueueOut(BaseModel):
    total: int
    page: int
    pages: int
    per_page: int
    counts_by_hold: dict[str, int]
    items: list[QueueItem]


class FailureItem(BaseModel):
    document_id: int
    state: str
    filename: str | None
    stage: str | None
    code: str | None
    reason: str | None
    attempts: int
    received_at: datetime


class FailuresOut(BaseModel):
    kind: str
    total: int
    counts: dict[str, int]
    items: list[FailureItem]


class FieldOut(BaseModel):
    value: str | None
    confidence: float
    source: str
    page: int | None
    bbox: list[float] | None
    machine_value: str | None = None


class HoldOut(BaseModel):
    id: int
    code: str
    title: str
    message: str
    line_ref: str | None
    release_role: str
    status: str
    released_by: str | None
    release_reason: str | None
    you_may_release: bool
    why_not: list[str]


class PostingOut(BaseModel):
    status: str
    odoo_move_id: int | None
    odoo_move_name: str | None
    last_error: str | None
    link: str | None


class DocumentOut(BaseModel):
    id: int
    state: str
    filename: str | None
    media_type: str
    received_at: datetime
    failure: dict[str, str | None] | None
    fields: dict[str, FieldOut]
    lines: list[dict[str, FieldOut]]
    versions: list[dict[str, Any]]
    holds: list[HoldOut]
    three_way: list[dict[str, Any]]
    assignee: str | None
    queue: str | None
    sla: str | None
    posting: PostingOut | None
    you_may_approve: bool
    why_not_approve: list[str]


class FieldEditIn(BaseModel):
    value: str = Field(max_length=500)
    page: int | None = Field(default=None, ge=1, le=10_000)
    bbox: list[float] | None = Field(default=None, min_length=4, max_length=4)


class CorrectionIn(BaseModel):
    fields: dict[str, FieldEditIn] = Field(default_factory=dict)
    lines: list[dict[str, FieldEditIn]] | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=2000)


class ReasonIn(BaseModel):
    reason: str = Field(default="", max_length=2000)


class ReleaseIn(BaseModel):
    reason: str = Field(max_length=2000)
    totp_code: str | None = Field(default=None, max_length=12)


class NoteIn(BaseModel):
    note: str = Field(default="", max_length=2000)


class AssignIn(BaseModel):
    assignee: str = Field(max_length=80)


class SplitIn(BaseModel):
    ranges: str = Field(max_length=200, examples=["1-2, 3-4"])


class MergeIn(BaseModel):
    with_documents: list[int] = Field(min_length=1, max_length=9)


class ValidateIn(BaseModel):
    field: str = Field(max_length=40)
    value: str = Field(max_length=500)


class ValidateOut(BaseModel):
    ok: bool
    value: str
    message: str


class Done(BaseModel):
    ok: bool = True
    document_id: int | None = None
    detail: str | None = None
    ids: list[int] | None = None


class ViewIn(BaseModel):
    name: str = Field(max_length=80)
    query: str = Field(default="", max_length=1000)


class ViewOut(BaseModel):
    id: int
    name: str
    query: str


class HistoryOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    changes: list[dict[str, str]]
    details: dict[str, str]
    document_id: int | None


class UploadOut(BaseModel):
    outcome: str
    document_id: int | None
    reason: str | None


class DashboardOut(BaseModel):
    start: str
    end: str
    documents: int
    touchless_rate: float | None
    exception_rate: float | None
    first_pass_yield: float | None
    cycle_p50_hours: float | None
    cycle_p90_hours: float | None
    queue_open: int
    queue_oldest_days: float | None
    exception_rate_by_hold: dict[str, float]
    per_site: list[dict[str, Any]]
