"""Odoo's failures as the project's own errors, each keeping Odoo's message for the queue and the log.

Odoo reports an error as an XML-RPC ``Fault`` or a JSON-RPC ``error`` naming its exception class
(``odoo.exceptions.UserError`` …). The connector maps that class to one of these types so that callers
decide by type (retry, hold, show the clerk) and never by parsing text.
"""

from __future__ import annotations

from models.errors import ConfigurationError, PayablesError, TransientError


class ErpError(PayablesError):
    """Something went wrong talking to the ERP. ``odoo_message`` is Odoo's own wording, unchanged."""

    code = "erp"

    def __init__(self, message: str, *, odoo_name: str | None = None, odoo_message: str | None = None,
                 model: str | None = None, method: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.odoo_name = odoo_name
        self.odoo_message = odoo_message if odoo_message is not None else message
        self.model = model
        self.method = method


class ErpConfigurationError(ErpError, ConfigurationError):
    """The connection settings are incomplete or wrong (URL, database, user, API key)."""

    code = "erp_configuration"


class ErpAuthenticationError(ErpError):
    """Odoo refused the user or API key (``AccessDenied``): fix the credentials, retrying will not help."""

    code = "erp_authentication"


class ErpAccessError(ErpError):
    """Odoo's access rules forbid the operation for the connector's user (``AccessError``)."""

    code = "erp_access"


class ErpUserError(ErpError):
    """Odoo refused the operation for a business reason (``UserError``); the message says which."""

    code = "erp_user_error"


class ErpValidationError(ErpUserError):
    """A constraint failed in Odoo (``ValidationError``)."""

    code = "erp_validation"


class ErpMissingError(ErpUserError):
    """A record the call needs no longer exists in Odoo (``MissingError``)."""

    code = "erp_missing"


class ErpServerError(ErpError):
    """Odoo failed with an unexpected server error (a bug or a misconfiguration on its side)."""

    code = "erp_server"


class ErpProtocolError(ErpError):
    """The reply is not what Odoo's API sends (a proxy's error page, a truncated body)."""

    code = "erp_protocol"


class ErpUnavailable(ErpError, TransientError):
    """Odoo could not be reached or answered 502/503/504: retry later. The call did not run."""

    code = "erp_unavailable"


class ErpConcurrencyError(ErpError, TransientError):
    """PostgreSQL refused a concurrent update (serialization failure): the call was rolled back; retry."""

    code = "erp_concurrency"


class ErpOutcomeUnknown(ErpError, TransientError):
    """The request reached Odoo but no answer came back (timeout, dropped connection).

    The call may have committed: re-read before doing anything that is not idempotent.
    """

    code = "erp_outcome_unknown"


class PostingBusy(ErpError, TransientError):
    """Another worker is posting the same document at this moment: try again shortly."""

    code = "posting_busy"


# The names Odoo puts in a JSON-RPC error's ``data.name`` (and in XML-RPC fault strings), most
# specific first: ValidationError and MissingError are UserErrors in Odoo's own hierarchy.
ODOO_EXCEPTIONS: dict[str, type[ErpError]] = {
    "odoo.exceptions.ValidationError": ErpValidationError,
    "odoo.exceptions.MissingError": ErpMissingError,
    "odoo.exceptions.AccessDenied": ErpAuthenticationError,
    "odoo.exceptions.AccessError": ErpAccessError,
    "odoo.exceptions.RedirectWarning": ErpUserError,
    "odoo.exceptions.UserError": ErpUserError,
    "odoo.exceptions.except_orm": ErpUserError,
}

# Serialization failures surface as psycopg's exception (after Odoo's own retries ran out).
CONCURRENCY_MARKERS = (
    "SerializationFailure",
    "could not serialize access",
    "TransactionRollbackError",
    "deadlock detected",
    "LockNotAvailable",
)


def error_for(odoo_name: str | None, message: str, *, model: str | None = None,
              method: str | None = None, debug: str = "") -> ErpError:
    """The project error for an Odoo exception class name and its message."""
    where = f"{model}.{method}" if model and method else (method or "call")
    text = f"{odoo_name or ''}\n{message}\n{debug}"
    if any(marker in text for marker in CONCURRENCY_MARKERS):
        return ErpConcurrencyError(f"Odoo refused {where} because of a concurrent update: {message}",
                                   odoo_name=odoo_name, odoo_message=message, model=model, method=method)
    cls = ODOO_EXCEPTIONS.get(odoo_name or "")
    if cls is None:
        return ErpServerError(f"Odoo failed on {where}: {message}", odoo_name=odoo_name,
                              odoo_message=message, model=model, method=method)
    if cls is ErpAuthenticationError:
        return cls(f"Odoo refused the credentials on {where}: {message or 'Access Denied'}; check the user and "
                   "API key (PAYABLES_ODOO_USER, PAYABLES_ODOO_API_KEY)", odoo_name=odoo_name,
                   odoo_message=message, model=model, method=method)
    return cls(message, odoo_name=odoo_name, odoo_message=message, model=model, method=method)
