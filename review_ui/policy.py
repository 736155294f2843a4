"""Who may call which route: ONE table, route name × role × whose object.

Every route of the app has an entry (``create_app`` refuses to build otherwise, and a test walks every
route × role × own/other's object × own/other/unknown site against this table). Object-level rules
read the route's subject: a document is *own* when its open review task is the user's or nobody's, a
saved view when the user saved it, a user record or a role change when it is about the user. Every
document subject is also bounded by the user's sites (``review_ui.sites``): outside them it is not
found, whatever the row says. Finer rules that depend on the
facts of one invoice (segregation of duties, approval limits, a fresh second factor) are enforced by
the services on top of this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from models.roles import Role


class Access(StrEnum):
    NONE = "none"
    OWN = "own"  # only the user's own (or nobody's) object
    OTHERS = "others"  # only objects that are not about the user (four eyes)
    ANY = "any"


class Subject(StrEnum):
    NONE = "none"
    DOCUMENT = "document"  # path parameter document_id
    VIEW = "view"  # view_id
    USER = "user"  # user_id
    ROLE_CHANGE = "role_change"  # change_id


@dataclass(frozen=True)
class Rule:
    access: Mapping[Role, Access] = field(default_factory=dict)
    subject: Subject = Subject.NONE
    # Reachable without signing in (the sign-in pages themselves).
    public: bool = False

    def for_role(self, role: Role) -> Access:
        return self.access.get(role, Access.NONE)


C, M, A, AU = Role.CLERK, Role.MANAGER, Role.ADMIN, Role.AUDITOR
ANY, OWN, OTHERS = Access.ANY, Access.OWN, Access.OTHERS

EVERYONE = {C: ANY, M: ANY, A: ANY, AU: ANY}
ACTORS = {C: ANY, M: ANY, A: ANY}
# Clerks act on what is theirs or nobody's; managers and admins on anything (they also re-assign).
WORK = {C: OWN, M: ANY, A: ANY}
MANAGERS = {M: ANY, A: ANY}
AUDITORS = {AU: ANY, A: ANY}
SELF_ONLY = {C: OWN, M: OWN, A: OWN, AU: OWN}
ADMIN_ON_OTHERS = {A: OTHERS}
USER_READERS = {A: ANY, AU: ANY}

DOC = Subject.DOCUMENT


def _doc(access: Mapping[Role, Access]) -> Rule:
    return Rule(access, DOC)


PUBLIC = Rule(public=True)

POLICY: dict[str, Rule] = {
    # signing in
    "health": PUBLIC,
    "auth.login_form": PUBLIC,
    "auth.login": PUBLIC,
    "auth.mfa_form": PUBLIC,
    "auth.mfa": PUBLIC,
    "auth.enrol_form": PUBLIC,
    "auth.enrol": PUBLIC,
    "auth.logout": Rule(EVERYONE),
    "account.page": Rule(EVERYONE),
    "account.password": Rule(EVERYONE),
    # the queue and the screens around it
    "home": Rule(EVERYONE),
    "queue.page": Rule(EVERYONE),
    "queue.failures": Rule(EVERYONE),
    "queue.next": Rule(EVERYONE),
    "approvals.page": Rule(EVERYONE),
    "views.create": Rule(EVERYONE),
    "views.delete": Rule(SELF_ONLY, Subject.VIEW),
    "upload.form": Rule(ACTORS),
    "upload.submit": Rule(ACTORS),
    "dashboard.page": Rule(EVERYONE),
    "help.page": Rule(EVERYONE),
    # one document
    "document.page": _doc(EVERYONE),
    "document.page_image": _doc(EVERYONE),
    "document.original": _doc(EVERYONE),
    "document.history": _doc(EVERYONE),
    "document.correct": _doc(WORK),
    "document.rematch": _doc(WORK),
    "document.release": _doc(WORK),
    "document.approve": _doc(WORK),
    "document.reject": _doc(WORK),
    "document.escalate": _doc(WORK),
    "document.handoff": _doc(WORK),
    "document.request_info": _doc(WORK),
    "document.info_received": _doc(WORK),
    "document.claim": _doc(WORK),
    "document.unassign": _doc(WORK),
    "document.assign": _doc(MANAGERS),
    "document.retry": _doc(WORK),
    "document.retry_posting": _doc(WORK),
    "document.split": _doc(WORK),
    "document.merge": _doc(WORK),
    # audit and administration
    "audit.page": Rule(AUDITORS),
    "audit.export": Rule(AUDITORS),
    "admin.users": Rule(USER_READERS),
    "admin.role_change": Rule(ADMIN_ON_OTHERS, Subject.USER),
    "admin.approve_role_change": Rule(ADMIN_ON_OTHERS, Subject.ROLE_CHANGE),
    "admin.refuse_role_change": Rule(ADMIN_ON_OTHERS, Subject.ROLE_CHANGE),
    "admin.sites": Rule(ADMIN_ON_OTHERS, Subject.USER),
    "admin.deactivate": Rule(ADMIN_ON_OTHERS, Subject.USER),
    "admin.reset_mfa": Rule(ADMIN_ON_OTHERS, Subject.USER),
    # the JSON API: the same actions under the same rules
    "api.openapi": Rule(EVERYONE),
    "api.me": Rule(EVERYONE),
    "api.queue": Rule(EVERYONE),
    "api.failures": Rule(EVERYONE),
    "api.validate": Rule(ACTORS),
    "api.upload": Rule(ACTORS),
    "api.dashboard": Rule(EVERYONE),
    "api.views": Rule(EVERYONE),
    "api.views.create": Rule(EVERYONE),
    "api.views.delete": Rule(SELF_ONLY, Subject.VIEW),
    "api.audit": Rule(AUDITORS),
    "api.document": _doc(EVERYONE),
    "api.history": _doc(EVERYONE),
    "api.correct": _doc(WORK),
    "api.rematch": _doc(WORK),
    "api.release": _doc(WORK),
    "api.approve": _doc(WORK),
    "api.reject": _doc(WORK),
    "api.escalate": _doc(WORK),
    "api.handoff": _doc(WORK),
    "api.request_info": _doc(WORK),
    "api.info_received": _doc(WORK),
    "api.claim": _doc(WORK),
    "api.unassign": _doc(WORK),
    "api.assign": _doc(MANAGERS),
    "api.retry": _doc(WORK),
    "api.retry_posting": _doc(WORK),
    "api.split": _doc(WORK),
    "api.merge": _doc(WORK),
}


def rule_for(route_name: str) -> Rule:
    try:
        return POLICY[route_name]
    except KeyError:
        raise LookupError(f"route {route_name!r} has no entry in review_ui.policy.POLICY") from None
