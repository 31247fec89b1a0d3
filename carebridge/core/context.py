"""Where the current action comes from (web request, CLI, API), for the audit log.

Services write audit events without being handed the request: the middleware (or the CLI)
sets this context once, and ``core.audit.record`` reads it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ActionContext:
    source: str = "system"
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))


_current: ContextVar[ActionContext] = ContextVar("carebridge_action_context")


def current() -> ActionContext:
    return _current.get(ActionContext())


@contextlib.contextmanager
def acting(ctx: ActionContext) -> Iterator[ActionContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
