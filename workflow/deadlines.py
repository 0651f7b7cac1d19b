"""Deadlines and windows, collected from every app.

An app declares its open windows in a `deadlines.py` module with `@deadline_provider`
(yielding `Deadline`s: which object, when it is due, who is responsible) and its closing work
with `@window_closer` (lock what is still open at the deadline). The scheduled jobs only walk
these registries, so a new kind of window needs no change here."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.module_loading import autodiscover_modules

from common.formats import local_datetime


@dataclass(frozen=True)
class Deadline:
    obj: object  # a saved model instance: the window (period, phase, ...)
    due_at: datetime
    recipients: tuple  # users responsible for acting before the deadline
    title: str  # what is due, in Chinese, e.g. "2026年11月 六好党支部自评"
    url: str = ""
    #: How the reminder writes the deadline; empty: `due_at` in local time. A window closing
    #: with a day passes its `Window.deadline_label` (the date, not the midnight after it).
    due_label: str = ""

    @property
    def shown_due(self) -> str:
        return self.due_label or local_datetime(self.due_at)


_providers: list[Callable[[datetime], Iterable[Deadline]]] = []
_closers: list[Callable[[datetime], int]] = []
_discovered = False


def deadline_provider(fn):
    _providers.append(fn)
    return fn


def window_closer(fn):
    _closers.append(fn)
    return fn


def _discover():
    global _discovered
    if not _discovered:
        autodiscover_modules("deadlines")
        _discovered = True


def open_deadlines(now: datetime) -> Iterable[Deadline]:
    _discover()
    for provider in _providers:
        yield from provider(now)


def closers() -> list[Callable[[datetime], int]]:
    _discover()
    return list(_closers)
