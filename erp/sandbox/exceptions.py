"""The exceptions the sandbox raises, named and worded as Odoo's own so the replies have Odoo's shapes."""

from __future__ import annotations


class OdooFault(Exception):
    """An error Odoo would report; ``name`` is the class path Odoo puts in JSON-RPC's ``data.name``."""

    name = "builtins.Exception"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UserErrorFault(OdooFault):
    name = "odoo.exceptions.UserError"


class ValidationErrorFault(UserErrorFault):
    name = "odoo.exceptions.ValidationError"


class MissingErrorFault(UserErrorFault):
    name = "odoo.exceptions.MissingError"


class AccessErrorFault(OdooFault):
    name = "odoo.exceptions.AccessError"


class AccessDeniedFault(OdooFault):
    name = "odoo.exceptions.AccessDenied"

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class ValueErrorFault(OdooFault):
    """Odoo's ORM raises plain ``ValueError`` for invalid fields and domains: a server error over RPC."""

    name = "builtins.ValueError"


class SerializationFailureFault(OdooFault):
    name = "psycopg2.errors.SerializationFailure"

    def __init__(self, message: str = "could not serialize access due to concurrent update") -> None:
        super().__init__(message)


class DatabaseMissingFault(OdooFault):
    name = "psycopg2.OperationalError"
