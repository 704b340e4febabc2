"""Frames (what was said, by whom, through which cue) and the cue-to-speaker rules they share.

An `Attributor` holds one document's cues, remembers which cue already attributes which frame (a
cue attributes one frame) and finds a cue's speaker: its subject in the parse when it has one,
else the name, title or pronoun next to it (before it; after it for an inverted cue: "said
O'Neill", "a tweeté X"; an earlier speaker of the sentence for a participle: "…, adding that"),
else the bare noun phrase of its subject ("Police officials").
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.model import Span
from newsgraph.quotes.context import Context
from newsgraph.quotes.cues import Cue
from newsgraph.quotes.speakers import Speaker, Speakers

SUBJECT_MAX = 8  # words a subject may take between a clause boundary and its cue, or after an inverted cue

# How sure a frame is to be an attribution (a quotation no cue attributes may be a scare quote).
CUED, NAMED_AFTER_DASH, INHERITED = 1.0, 0.9, 0.8
REPORTED, REPORTED_UNNAMED = 0.9, 0.7
UNCUED_LONG, UNCUED_SHORT = 0.6, 0.2


@dataclass
class Frame:
    content: Span
    direct: bool
    score: float
    cue: Span | None = None
    speaker: Speaker | None = None


class Attributor:
    def __init__(self, ctx: Context, cues: list[Cue]):
        self.ctx = ctx
        self.speakers = Speakers(ctx)
        self.after_quotes = cues  # right after a quotation, a speech word the tagger missed is a cue too
        self.cues = [c for c in cues if not c.untagged]
        self.used: dict[Cue, Frame] = {}  # cue -> the frame it attributes

    def attach(self, cue: Cue, content: Span, direct: bool, content_before: bool) -> Frame:
        """The frame of `content` attributed through `cue` (`content_before`: the content precedes the
        cue, so an inverted subject may follow it)."""
        speaker = self.speaker_of(cue, content_before)
        named = speaker is not None and speaker.named
        score = CUED if direct else REPORTED if named else REPORTED_UNNAMED
        frame = Frame(content, direct, score, self.ctx.span_of(cue.first, cue.last), speaker)
        self.used[cue] = frame
        return frame

    def has_cue(self, first: int, stop: int) -> bool:
        """True when a cue starts among tokens `first` to `stop` (excluded)."""
        return any(first <= c.first < stop for c in self.cues)

    # ------------------------------------------------------------------ speakers
    def speaker_of(self, cue: Cue, content_before: bool) -> Speaker | None:
        speakers = self.speakers
        if cue.source:
            first, last = cue.slot or (cue.first, cue.last)
            named = speakers.in_region(first, last, from_right=False)
            return named or speakers.noun_phrase(first, last, from_right=False)
        parsed = speakers.subject_of(cue.first)
        if parsed is not None:
            return parsed
        clause_start = self.ctx.clause_start(cue.first)
        subject_end = self._inverted_subject_end(cue)
        found = speakers.in_region(clause_start, cue.first - 1, from_right=True)
        if found is None and cue.participle:
            found = self._shared_speaker(cue)
        if found is None and (content_before or clause_start == cue.first):
            found = speakers.in_region(cue.last + 1, subject_end, from_right=False)
        if found is None and clause_start == cue.first:
            found = self._appositive_subject(clause_start)
        if found is None and content_before and subject_end == cue.last:
            found = self._implicit_subject(cue)
        return found or speakers.noun_phrase(clause_start, cue.first - 1, from_right=True)

    def _inverted_subject_end(self, cue: Cue) -> int:
        """Last token where a subject after the cue may end ("said O'Neill, on …")."""
        ctx = self.ctx
        end = cue.last + 1
        sent = ctx.tokens[cue.last].sent
        while (
            end < len(ctx.tokens)
            and end - cue.last <= SUBJECT_MAX
            and not ctx.is_boundary(end)
            and ctx.tokens[end].sent == sent
        ):
            end += 1
        return end - 1

    def _shared_speaker(self, cue: Cue) -> Speaker | None:
        """The speaker of an earlier frame of the sentence, or its first name ("X said …, adding …")."""
        sent = self.ctx.tokens[cue.first].sent
        start = self.ctx.tokens[cue.first].start
        earlier = [
            f
            for f in self.used.values()
            if f.cue
            and f.cue[0] < start
            and f.speaker is not None
            and self.ctx.analysis.sentence_of(f.cue[0]) == sent
        ]
        if earlier:
            return max(earlier, key=lambda f: f.cue[0] if f.cue else 0).speaker
        return self.speakers.clause_subject(start)

    def _appositive_subject(self, clause_start: int) -> Speaker | None:
        """ "Richard Revesz, director of …, said": the name that opens the clause the commas cut."""
        ctx = self.ctx
        i = clause_start - 1
        sent = ctx.tokens[clause_start].sent
        while (
            i > 0
            and ctx.tokens[i - 1].sent == sent
            and not ctx.in_quote(i - 1)
            and not ctx.ends_sentence(i - 1)
        ):
            i -= 1
        return self.speakers.in_region(i, clause_start - 1, from_right=False)

    def _implicit_subject(self, cue: Cue) -> Speaker | None:
        """A cue with no subject at all ("«…», aseguró.", "«…» — добавил."): a language that drops its
        subject pronouns means the person the text is about, as a pronoun would."""
        person = self.speakers.first_person(self.ctx.tokens[cue.first].start)
        return Speaker((person.start, person.end), person.entity) if person is not None else None
