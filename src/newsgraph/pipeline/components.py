"""The component registry and the `Pipeline` that runs components over one document.

A component is a small function of a document, like a spaCy pipeline component: it reads the
slots earlier components filled and fills its own. Components that need models are built by a
factory from the `Settings`, once per process, and then called for every document.
"""

from __future__ import annotations

import logging
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from newsgraph.config import Settings
from newsgraph.model import Document

log = logging.getLogger(__name__)


class Component(Protocol):
    def __call__(self, doc: Document) -> Document: ...


Factory = Callable[[Settings], Component]
_FACTORIES: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    """Decorator: `@register("clean") def make_cleaner(settings) -> Component`."""

    def wrap(factory: Factory) -> Factory:
        _FACTORIES[name] = factory
        return factory

    return wrap


def register_slot(name: str, find: Callable[[Document], Any]) -> None:
    """Register a component that fills the document slot `name` with `find(doc)`, a pure function
    that needs no model ("times", "claims")."""

    def factory(settings: Settings) -> Component:
        def fill(doc: Document) -> Document:
            setattr(doc, name, find(doc))
            return doc

        return fill

    register(name)(factory)


def factories() -> dict[str, Factory]:
    # Importing the stage packages registers their factories.
    from newsgraph import stages  # noqa: F401

    return dict(_FACTORIES)


class DocumentTimeout(Exception):
    """A stage ran past `Settings.doc_timeout_s` on one document."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `DocumentTimeout` in the block after `seconds` (0: no limit). A stage that loops on a
    pathological input must cost one document, not stall a worker and the whole run. Works in the
    main thread of a process (where workers run their tasks); elsewhere the block runs unlimited."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Pipeline:
    """The configured components in order; one failing component is recorded, the rest still run."""

    def __init__(self, settings: Settings):
        available = factories()
        missing = [s for s in settings.stages if s not in available]
        if missing:
            raise ValueError(f"unknown pipeline stages {missing}; available: {sorted(available)}")
        self.settings = settings
        self.components = [(name, available[name](settings)) for name in settings.stages]

    def __call__(self, doc: Document) -> Document:
        limit = self.settings.doc_timeout_s
        for name, component in self.components:
            try:
                with time_limit(limit):
                    doc = component(doc)
            except DocumentTimeout:
                doc.errors.append(
                    f"{name}: gave up after {limit:g} s on this document (the stages after it did not "
                    f"run); raise doc_timeout_s in the settings if such documents are expected"
                )
                break
            except Exception as exc:  # one bad document or stage must never crash the batch
                log.debug("stage %s failed on %s\n%s", name, doc.doc_id, traceback.format_exc())
                doc.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        return doc
