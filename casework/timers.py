"""What each kind of timer does when its reminder or its due moment comes.

Apps register a handler per `TimerKind` in their `AppConfig.ready()`; the one sweep in
`casework.services.timers` calls them. Handlers run inside the sweep's transaction with
the timer row locked, so whatever they write happens exactly once.
"""

from datetime import datetime
from typing import Protocol

from .models import Timer


class TimerHandler(Protocol):
    def remind(self, timer: Timer, now: datetime) -> None: ...

    def expire(self, timer: Timer, now: datetime) -> None: ...

    def subject_urls(self, subject_ids: list[int]) -> dict[int, str]:
        """Where each subject is worked on (one query for the whole list)."""
        ...


_HANDLERS: dict[str, TimerHandler] = {}


def register(kind: str, handler: TimerHandler) -> None:
    _HANDLERS[kind] = handler


def handler_for(kind: str) -> TimerHandler:
    return _HANDLERS[kind]


def registered_handlers() -> dict[str, TimerHandler]:
    return dict(_HANDLERS)
