"""The "claims" component: the figures an article reports, with what they count, since when, and who says so.

Each sentence of the body is read in its paragraph's language (`newsgraph.claims.extract`); a
sentence's as-of date (`as_of`) and source (`attribution`) apply to every figure in it. A sentence
that gives figures but no source takes the source of its neighbour when the later of the two
marks itself as a continuation ("Elle a également tué …, selon des sources officielles"): the
source then covers both.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from newsgraph.claims.as_of import find_as_of
from newsgraph.claims.attribution import Source, find_source
from newsgraph.claims.extract import Draft, sentence_drafts
from newsgraph.claims.rules import rules_for
from newsgraph.model import Claim, DateValue, Document, Span
from newsgraph.pipeline.components import register_slot


@dataclass
class _Sentence:
    index: int  # position in the document's sentences
    span: Span
    lang: str | None
    drafts: list[Draft]
    source: Source | None


def find_claims(doc: Document) -> list[Claim]:
    """Every claim in the body of `doc`, in text order; `part_of` indexes this list."""
    sentences = _sentences_with_claims(doc)
    _share_sources(doc, sentences)
    _name_generic_sources(doc, sentences)
    out: list[Claim] = []
    for sentence in sentences:
        as_of = find_as_of(doc, sentence.span, sentence.lang)
        first = len(out)
        kept = [i for i, d in enumerate(sentence.drafts) if d.kind is not None]
        position = {draft_index: first + n for n, draft_index in enumerate(kept)}
        for i in kept:
            draft = sentence.drafts[i]
            out.append(
                _claim(
                    doc,
                    draft,
                    as_of,
                    sentence.source,
                    position.get(draft.total) if draft.total is not None else None,
                )
            )
    return out


def _sentences_with_claims(doc: Document) -> list[_Sentence]:
    out = []
    for index, span in enumerate(doc.sentences or doc.body or [(0, len(doc.text))]):
        if not doc.in_body(*span):
            continue
        lang = _lang_at(doc, span[0])
        drafts = sentence_drafts(doc.text, span, lang)
        if any(d.kind is not None for d in drafts):
            claims = [d.span for d in drafts if d.kind is not None]
            out.append(_Sentence(index, span, lang, drafts, find_source(doc, span, lang, claims)))
    return out


def _share_sources(doc: Document, sentences: list[_Sentence]) -> None:
    """Adjacent sentences with figures share a source when the later one continues the earlier."""
    for earlier, later in itertools.pairwise(sentences):
        if later.index != earlier.index + 1 or (earlier.source is None) == (later.source is None):
            continue
        if rules_for(later.lang).follow_on.contains(doc.text, *later.span):
            earlier.source = earlier.source or later.source
            later.source = later.source or earlier.source


def _name_generic_sources(doc: Document, sentences: list[_Sentence]) -> None:
    """A source that names only figures ("по обновлённым данным", "the latest figures") is the
    source named last before it: the earlier sentence's source with an entity, else the last
    organisation mentioned before the sentence ("Минздрав сообщил о 300 погибших. По обновлённым
    данным, …" is the ministry's update)."""
    named: Source | None = None
    for sentence in sentences:
        source = sentence.source
        if source is not None and source.generic:
            sentence.source = _last_named(doc, sentence.span[0], named) or source
        elif source is not None and source.entity is not None:
            named = source


def _last_named(doc: Document, position: int, named: Source | None) -> Source | None:
    """The later of: the last named source before `position`, the last organisation mentioned before it."""
    organisations = [m for m in doc.mentions if m.type == "ORG" and m.end <= position and m.entity]
    last = max(organisations, key=lambda m: m.start, default=None)
    if last is not None and (named is None or last.start > named.span[0]):
        return Source((last.start, last.end), doc.span_text((last.start, last.end)), last.entity)
    return named


def _lang_at(doc: Document, offset: int) -> str | None:
    """The language of the paragraph holding `offset`, else the document's."""
    for paragraph in doc.paragraphs:
        if paragraph.start <= offset < paragraph.end and paragraph.lang:
            return paragraph.lang
    return doc.lang


def _claim(
    doc: Document, draft: Draft, as_of: DateValue | None, source: Source | None, part_of: int | None
) -> Claim:
    q = draft.quantity
    start, end = draft.span
    return Claim(
        start=start,
        end=end,
        text=doc.text[start:end],
        value=q.value,
        bound=q.bound or "exact",
        kind=draft.kind or "other",
        unit=q.currency or q.unit,
        subject=doc.span_text(draft.subject) if draft.subject else None,
        as_of=as_of,
        attributed_to=source.text if source else None,
        attributed_entity=source.entity if source else None,
        attribution_span=source.span if source else None,
        part_of=part_of,
    )


register_slot("claims", find_claims)
