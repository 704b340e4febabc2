"""The "events" component: dyadic, dated PLOVER events of each document (see `extract`).

Runs after "mentions" and "times"; reads the shared parse (`newsgraph.language.syntax.analyse`),
so a pipeline without the "syntax" stage parses here. Participants carry the document-local
entity ids ("L:k") that the corpus-wide resolver later rewrites.
"""

from __future__ import annotations

from newsgraph.config import Settings
from newsgraph.events.extract import extract_events
from newsgraph.language.syntax import analyse
from newsgraph.model import Document
from newsgraph.pipeline.components import Component, register


@register("events")
def make_events(settings: Settings) -> Component:
    def events(doc: Document) -> Document:
        doc.events = extract_events(doc, analyse(doc, settings)) if doc.text else []
        return doc

    return events
