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
from newsgraph.quotes.gender import verb_gender
from newsgraph.quotes.speakers import SPEAKER_TYPES, Speaker, Speakers

IMPLICIT_SENTENCES = 2  # a subjectless cue this close after a frame shares its speaker
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
    quoting: bool = False  # reported speech that quotes some words ("called them “deplorables”")
    # reported through a source phrase ("selon X, …", "according to X, …"): the sentence still has its
    # own speaker, whose quoted words inside it are a frame of their own
    sourced: bool = False


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
        speaker = self.speaker_of(cue, content_before, content)
        named = speaker is not None and speaker.named
        score = CUED if direct else REPORTED if named else REPORTED_UNNAMED
        frame = Frame(content, direct, score, self.ctx.span_of(cue.first, cue.last), speaker)
        self.used[cue] = frame
        return frame

    def has_cue(self, first: int, stop: int) -> bool:
        """True when a cue starts among tokens `first` to `stop` (excluded)."""
        return any(first <= c.first < stop for c in self.cues)

    # ------------------------------------------------------------------ speakers
    def speaker_of(self, cue: Cue, content_before: bool, content: Span | None = None) -> Speaker | None:
        speakers = self.speakers
        if cue.impersonal:
            return None  # "it was announced that …": no one is named
        if cue.source:
            first, last = cue.slot or (cue.first, cue.last)
            named = speakers.in_region(first, last, from_right=False)
            return named or speakers.noun_phrase(first, last, from_right=False)
        parsed = speakers.subject_of(cue.first)
        if parsed is not None and not self._is_function_phrase(parsed):
            return parsed
        clause_start = self.ctx.clause_start(cue.first)
        opens = self.after_auxiliaries(clause_start, cue.first) == cue.first  # nothing but "ha", "a" before
        subject_end = self._inverted_subject_end(cue)
        found = speakers.in_region(clause_start, cue.first - 1, from_right=True)
        if found is None and cue.participle:
            found = self._shared_speaker(cue)
        if found is None and (content_before or opens):
            found = speakers.in_region(cue.last + 1, subject_end, from_right=False)
        if found is None and opens:
            found = self._appositive_subject(clause_start)
        if found is None and content_before and content is not None and opens:
            found = self._speaker_before_content(content)
        if found is None and content_before and subject_end == cue.last:
            found = self._implicit_subject(cue)
        return found or speakers.noun_phrase(clause_start, cue.first - 1, from_right=True)

    def after_auxiliaries(self, first: int, stop: int) -> int:
        """The first token from `first` (before `stop`) that is no auxiliary ("ha", "a", "hat")."""
        while first < stop and self.ctx.word(first) in self.ctx.lex.auxiliaries:
            first += 1
        return first

    def _is_function_phrase(self, speaker: Speaker) -> bool:
        """True for a parsed subject that names nobody and is only auxiliaries and verbs ("se han", "ha"):
        a parser's slip, not a speaker. A pronoun ("It", "they", "who") is a speaker's phrase."""
        if speaker.named:
            return False
        words = [t for t in self.ctx.analysis.tokens_in(speaker.span) if self.ctx.is_word(t.i)]
        return all(t.pos != "PRON" and self.speakers.ends_phrase(t.i) for t in words)

    def _speaker_before_content(self, content: Span) -> Speaker | None:
        """The speaker that opens the sentence before a quotation whose cue follows it, as verb-final
        languages write it ("Medinskiy, “…” dedi.", "Peskov, “…” şeklinde konuştu.")."""
        ctx = self.ctx
        i = ctx.first_token_from(content[0])
        if i is None:
            return None
        while i > 0 and ctx.is_quote_mark(i - 1):
            i -= 1
        if i == 0 or ctx.tokens[i - 1].text not in (",", ":") or ctx.tokens[i - 1].sent != ctx.tokens[i].sent:
            return None
        named = ctx.mention_at(ctx.tokens[i - 2].start) if i >= 2 else None
        if named is not None and named.type in (*SPEAKER_TYPES, "MISC"):  # a name the recogniser left untyped
            return Speaker((named.start, named.end), named.entity)
        first = ctx.clause_start(i - 1) if i >= 2 else i - 1
        found = self.speakers.in_region(first, i - 2, from_right=True, places=False)
        return found if found is not None and found.named else None

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
        return self.speakers.in_region(i, clause_start - 1, from_right=False, places=False)

    def _implicit_subject(self, cue: Cue) -> Speaker | None:
        """A cue with no subject at all ("«…», aseguró.", "«…» — добавил."): a language that drops its
        subject pronouns means whoever spoke just before (the speaker of the previous frame, within
        IMPLICIT_SENTENCES), else the person the text is about, as a pronoun would; where the verb's
        ending marks the gender ("заявила", "powiedział"), a person of that gender."""
        position = self.ctx.tokens[cue.first].start
        gender = verb_gender(self.ctx, cue.first)  # "— добавила": the woman, not the man named last
        previous = self._previous_speaker(position)
        if previous is not None and self.speakers.genders.fits(previous.entity, gender):
            return previous
        person = self.speakers.first_person(position, gender=gender)
        return Speaker((person.start, person.end), person.entity) if person is not None else None

    def _previous_speaker(self, position: int) -> Speaker | None:
        """The named speaker of the last frame attributed before `position`, if it is close."""
        sent = self.ctx.analysis.sentence_of(position)
        earlier = [f for f in self.used.values() if f.cue and f.cue[1] <= position and f.speaker is not None]
        if sent is None or not earlier:
            return None
        last = max(earlier, key=lambda f: f.cue[1] if f.cue else 0)
        last_sent = self.ctx.analysis.sentence_of(last.cue[0]) if last.cue else None
        if last_sent is None or sent - last_sent > IMPLICIT_SENTENCES or last.speaker is None:
            return None
        return last.speaker if last.speaker.named and last.speaker.entity is not None else None
