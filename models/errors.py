"""One hierarchy of the project's own errors.

Each error carries a stable ``code`` (what a script or the queue filters on) and a message written for
the person who has to act on it: a clerk reading the queue or an operator reading a log.
"""

from __future__ import annotations


class PayablesError(Exception):
    """Base of every error the project raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class ConfigurationError(PayablesError):
    """Settings or a policy file are wrong; the process should not start."""

    code = "configuration"


class InputRefused(PayablesError):
    """A submitted file is not acceptable (empty, too large, wrong type, hostile).

    Refusals are recorded against the document and shown in the queue; they are not retried.
    """

    code = "refused"


class DocumentUnreadable(PayablesError):
    """The bytes are of an accepted type but cannot be read (corrupt, encrypted, over a limit)."""

    code = "unreadable"


class StorageError(PayablesError):
    """The object store failed; usually transient, so the stage is retried."""

    code = "storage"


class ChecksumMismatch(StorageError):
    """Bytes read back from the store do not hash to their key: the copy is damaged."""

    code = "checksum_mismatch"


class ObjectNotFound(StorageError):
    code = "object_not_found"


class TransientError(PayablesError):
    """A failure worth retrying with backoff (a server restarting, a timeout)."""

    code = "transient"


class StateConflict(PayablesError):
    """An action does not apply to the document's current state (e.g. approving a posted bill)."""

    code = "state_conflict"


class NotAuthorised(PayablesError):
    """The acting user's role, limit or segregation of duties forbids the action."""

    code = "not_authorised"
