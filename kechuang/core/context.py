"""Who is acting, from where: set once per request or command, read by the audit trail."""

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActionContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    source: str = "command"  # web | api | import | command
    ip: str | None = None


_current: contextvars.ContextVar[ActionContext | None] = contextvars.ContextVar("kechuang_action", default=None)


def current() -> ActionContext:
    return _current.get() or ActionContext()


def activate(ctx: ActionContext) -> contextvars.Token:
    return _current.set(ctx)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)
