"""Attribution frames: what was said (a quotation or a reported clause), by whom, through which cue.

Quotations first, in text order. A quotation takes the cue just before it when it follows that cue
closely and ends its clause ("a appelé le président à ''…''", "said: “…”"), otherwise the cue
just after it ("“…,” Revesz said", "«…», a tweeté Ashkenazi", "«…» — заявил он"), or the name
after a dash or an attributor ("”…” ― Sonya Herridge", "„…“, so Scholz"). A quotation continued
after its cue ("“A,” he said, “B.”") joins the first part. A quotation no cue attributes inherits
the speaker of the quotation just before it when no other cue comes between (a quote split over
paragraphs); otherwise it is scored by length: a long one is still a quotation, one or two words
are scare quotes or titles.

Cues left over report speech: the clause after the cue ("X said (that) …", "X a déclaré que …",
"X заявил, что …"), the clause before it ("…, X said", "…, said X"), or, for a source phrase, the
rest of the sentence ("according to X, …", "по словам X, …").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from newsgraph.ingest.layout import lines
from newsgraph.model import Span
from newsgraph.quotes.context import Context
from newsgraph.quotes.cues import Cue, find_cues
from newsgraph.quotes.marks import Quoted
from newsgraph.quotes.speakers import SPEAKER_TYPES, Speaker, Speakers

ORPHAN_GAP_MAX = 3  # words between a closing mark that closed nothing and its cue ("…axe du mal », a déclaré")
AFTER_GAP_MAX = 16  # words between a quotation and the cue after it ("“…,” Scott Pruitt, the …, said")
LEAD_MAX = 12  # words between a cue and the quotation it introduces ("a appelé le président israélien à")
UNTAGGED_LEAD_MAX = 6  # without parts of speech, a longer lead is taken for a clause the quotation ends
CLAUSE_POS = frozenset({"VERB", "AUX"})
COMPLEMENTIZER_WINDOW = 12  # tokens after a cue searched for "that" ("said in a statement on Monday that")
SUBJECT_MAX = 8  # words between a clause boundary and the cue after it, for the clause before to be content
TAIL_MAX = 5  # words after a cue that ends its clause ("…, he said on Monday")
MIN_CONTENT_WORDS = 2
CONJUNCTION_GAP = 2  # "and said", "and also said": a conjunction this close before a cue starts its clause
NEXT_CLAUSE_MAX = 4  # tokens from a boundary to the next cue for reported content to end there (", though she noted")
INHERIT_SENTENCES = 2  # sentences after an attributed quotation within which an uncued one inherits its speaker
LABEL_CHARS_MAX = 40  # a transcript or headline speaker label ends with a colon this close to the line start
LABEL_WORDS_MAX = 4
LONG_QUOTE_WORDS = 6  # an uncued quotation this long is no scare quote
MIN_SENTENCE_WORDS = 3  # nor is a shorter one that holds a sentence end ("Not going to go into that.")

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


def find_frames(ctx: Context, orphans: list[Span]) -> list[Frame]:
    """Every attribution found in the document, quotations and reported speech, in text order."""
    cues = find_cues(ctx)
    speakers = Speakers(ctx)
    finder = _Finder(ctx, cues, speakers)
    frames = finder.quotations(orphans)
    frames += finder.reported()
    frames += finder.labelled()
    return sorted(_outermost(frames), key=lambda f: (f.content[0], f.content[1]))


def _outermost(frames: list[Frame]) -> list[Frame]:
    """Without reported speech whose cue lies inside what an earlier frame reports ("X said he believes
    Y": "he believes Y" is part of what X said), nor quoted words no cue attributes inside reported
    speech (they are part of it). Attributed quotations stay: they are words of their own speaker."""
    kept: list[Frame] = []
    for frame in sorted(frames, key=lambda f: f.cue[0] if f.cue else f.content[0]):
        if frame.direct or frame.cue is None or not any(
                not other.direct and other.content[0] <= frame.cue[0] < other.content[1] for other in kept):
            kept.append(frame)
    attributed = [f.content for f in kept if f.cue is not None]
    return [f for f in kept if f.cue is not None or not any(
        start <= f.content[0] and f.content[1] <= end for start, end in attributed)]


class _Finder:
    def __init__(self, ctx: Context, cues: list[Cue], speakers: Speakers):
        self.ctx = ctx
        self.after_quotes = cues  # right after a quotation, a speech word the tagger missed is a cue too
        self.cues = [c for c in cues if not c.untagged]
        self.speakers = speakers
        self.used: dict[Cue, Frame] = {}  # cue -> the frame it attributes

    # ------------------------------------------------------------------ quotations
    def quotations(self, orphans: list[Span]) -> list[Frame]:
        frames: list[Frame] = []
        previous: Frame | None = None
        for quote in self.ctx.quoted:
            if not self.ctx.doc.in_body(quote.start, quote.end) or not self._words(quote.inner):
                continue
            frame = self._cued(quote, previous)
            if frame is None:
                frame = self._uncued(quote, previous)
            if frame is not previous:
                frames.append(frame)
            previous = frame
        frames += [f for f in (self._orphan(o) for o in orphans) if f is not None]
        return frames

    def _cued(self, quote: Quoted, previous: Frame | None) -> Frame | None:
        inner = _trimmed(self.ctx.text, quote.inner)
        before = self._cue_before(quote)
        if before is not None and before in self.used:
            frame = self.used[before]
            if previous is frame:
                frame.content = (frame.content[0], inner[1])
                return frame
        elif before is not None:
            lead = range(before.last + 1, self._first_token_from(quote.start) or 0)
            if self._embeds(lead):
                return self._attach(before, self._mixed(before, lead, quote), direct=False,
                                    content_before=False)
            return self._attach(before, inner, direct=True, content_before=False)
        after = self._cue_after(quote.end, quote.start)
        if after is not None:
            return self._attach(after, inner, direct=True, content_before=True)
        named = self._named_after(quote.end)
        if named is not None:
            dash, speaker = named
            return Frame(inner, True, NAMED_AFTER_DASH, dash, speaker)
        return None

    def _uncued(self, quote: Quoted, previous: Frame | None) -> Frame:
        inner = _trimmed(self.ctx.text, quote.inner)
        words = self._words(inner)
        long = words >= LONG_QUOTE_WORDS or (words >= MIN_SENTENCE_WORDS and any(
            c in ".!?" for c in self.ctx.text[inner[0]:inner[1]]))
        if long and previous is not None and previous.speaker is not None and previous.direct \
                and self._begins_clause(quote.start) and self._close_after(previous, quote.start):
            if "\n" not in self.ctx.text[previous.content[1]:inner[0]]:
                previous.content = (previous.content[0], inner[1])
                return previous
            return Frame(inner, True, INHERITED, previous.cue, previous.speaker)
        return Frame(inner, True, UNCUED_LONG if long else UNCUED_SHORT)

    def _orphan(self, closing: Span) -> Frame | None:
        """A quotation whose opening mark was lost: from its sentence's start, when a cue follows it."""
        sent = self.ctx.analysis.sentence_of(closing[0])
        if sent is None:
            return None
        start = self.ctx.analysis.sentences[sent][0]
        content = _trimmed(self.ctx.text, (start, closing[0]))
        after = self._cue_after(closing[1], start, ORPHAN_GAP_MAX)
        if after is None or self._words(content) < MIN_CONTENT_WORDS:
            return None
        return self._attach(after, content, direct=True, content_before=True)

    def _embeds(self, lead: range) -> bool:
        """True when the words between a cue and a quotation begin a clause that goes on inside it
        ("said Democrats are to blame for “…”", "a souligné qu'ils « … »"): the quotation is then part of
        reported speech, not all of it."""
        if any(self._complementizer(i) for i in lead):
            return True
        tagged = any(self.ctx.tokens[i].pos for i in lead)
        if tagged:
            return any(self.ctx.tokens[i].pos in CLAUSE_POS for i in lead)
        return sum(self.ctx.is_word(i) for i in lead) > UNTAGGED_LEAD_MAX

    def _mixed(self, cue: Cue, lead: range, quote: Quoted) -> Span:
        """From the start of the embedded clause (after its complementizer) to the end of the quotation;
        from the sentence start when the cue stands between commas ("X, he added, is like “…”")."""
        if lead and self.ctx.is_boundary(lead.start) and not self.ctx.is_quote_mark(lead.start):
            start = self.ctx.sentence_tokens(self.ctx.tokens[cue.first].sent).start
        else:
            start = lead.start + 1 if lead and self._complementizer(lead.start) else lead.start
        return _trimmed(self.ctx.text, (self.ctx.tokens[start].start, quote.end))

    def _complementizer(self, i: int) -> bool:
        return bool(set(self.ctx.forms(i)) & self.ctx.lex.complementizers)

    def _cue_before(self, quote: Quoted) -> Cue | None:
        """The cue that introduces `quote`: close before it, in its sentence (or ending the sentence
        before with a colon), when the quotation ends its clause."""
        sent = self.ctx.analysis.sentence_of(quote.start)
        if sent is None or not self._ends_clause(quote):
            return None
        for cue in reversed(self.cues):
            end = self.ctx.tokens[cue.last].end
            if end > quote.start:
                continue
            between = self.ctx.analysis.tokens_in((end, quote.start))
            if any(self.ctx.ends_sentence(t.i) or self.ctx.in_quote(t.i) for t in between):
                return None
            if self.ctx.tokens[cue.first].sent != sent and not (between and between[-1].text == ":"):
                return None
            return cue if sum(self.ctx.is_word(t.i) for t in between) <= LEAD_MAX else None
        return None

    def _cue_after(self, end: int, start: int, gap_max: int = AFTER_GAP_MAX) -> Cue | None:
        """The cue at most `gap_max` words after a quotation (ending at `end`) that begins a clause (at `start`)."""
        first_after = self._first_token_from(end)
        sent = self._sentence_of_token_at(end - 1)
        if first_after is None or self.ctx.tokens[first_after].sent != sent or not self._begins_clause(start):
            return None
        for cue in self.after_quotes:
            if self.ctx.tokens[cue.first].start < end:
                continue
            if cue in self.used or self.ctx.tokens[cue.first].sent != sent:
                return None
            between = range(first_after, cue.first)
            if any(self.ctx.ends_sentence(i) or self.ctx.in_quote(i) for i in between):
                return None
            return cue if sum(self.ctx.is_word(i) for i in between) <= gap_max else None
        return None

    def _named_after(self, end: int) -> tuple[Span, Speaker] | None:
        """A dash or attributor and a person's name right after a quotation ("”…” ― Name", "„…“, so X")."""
        i = self._first_token_from(end)
        if i is not None and self.ctx.tokens[i].text == ",":
            i += 1
        if i is None or i + 1 >= len(self.ctx.tokens):
            return None
        token = self.ctx.tokens[i]
        if token.text not in self.ctx.lex.dashes and token.text.casefold() not in self.ctx.lex.attributors:
            return None
        name = self.ctx.tokens[i + 1]
        mention = self.ctx.mention_at(name.start)
        if mention is None or mention.type != "PER" or mention.start != name.start:
            return None
        return (token.start, token.end), Speaker((mention.start, mention.end), mention.entity)

    def _close_after(self, previous: Frame, start: int) -> bool:
        """True when a quotation at `start` follows `previous` closely, with no cue between."""
        gap = (max(previous.content[1], previous.cue[1] if previous.cue else 0), start)
        if any(gap[0] <= self.ctx.tokens[c.first].start < gap[1] for c in self.cues):
            return False
        sent_before = self.ctx.analysis.sentence_of(previous.content[1] - 1)
        sent_now = self.ctx.analysis.sentence_of(start)
        return sent_before is not None and sent_now is not None and sent_now - sent_before <= INHERIT_SENTENCES

    def _ends_clause(self, quote: Quoted) -> bool:
        """True when nothing of the clause follows the quotation ("…''." or "…», a-t-il dit")."""
        i = self._first_token_from(quote.end)
        return i is None or self.ctx.is_boundary(i) or self.ctx.tokens[i].sent != self._sentence_of_token_at(
            quote.end - 1)

    def _begins_clause(self, start: int) -> bool:
        """True when the words at `start` begin a sentence or follow a boundary (not "called it “…”")."""
        i = self._first_token_from(start)
        if i is None:
            return False
        k = i - 1
        while k >= 0 and self.ctx.tokens[k].end > start:
            k -= 1
        return k < 0 or self.ctx.tokens[k].sent != self.ctx.tokens[i].sent or self.ctx.is_boundary(k)

    def _sentence_of_token_at(self, offset: int) -> int | None:
        token = self.ctx.analysis.token_at(offset)
        return token.sent if token is not None else None

    def _first_token_from(self, offset: int) -> int | None:
        tokens = self.ctx.analysis.tokens_in((offset, len(self.ctx.text)))
        for token in tokens:
            if token.start >= offset:
                return token.i
        return None

    # ------------------------------------------------------------------ transcripts and headlines
    def labelled(self) -> list[Frame]:
        """Lines that open with a speaker and a colon, as in a transcript or a headline ("PENCE: Well, …",
        "Pat Caddell: Democrats Worried …"): the rest of the line is what the speaker said. The speaker is
        a person or organisation named there, or a capitalised label that opens several lines (the
        person whose name ends with it)."""
        labels = [(line, label) for line in lines(self.ctx.text)
                  if self.ctx.doc.in_body(*line) and (label := self._label(line)) is not None]
        recurring = Counter(self.ctx.text[a:b].casefold() for _, (a, b) in labels)
        frames = []
        for (_, end), (start, colon) in labels:
            content = _trimmed(self.ctx.text, (colon + 1, end), self.ctx.lex.mark_characters)
            speaker = self._label_speaker((start, colon), recurring)
            if speaker is not None and self._words(content) >= MIN_CONTENT_WORDS:
                frames.append(Frame(content, True, CUED, (colon, colon + 1), speaker))
        return frames

    def _label(self, line: Span) -> Span | None:
        """The words before a colon that opens `line`, if few enough to be a speaker's name."""
        start, end = _trimmed(self.ctx.text, line, self.ctx.lex.mark_characters)
        colon = self.ctx.text.find(":", start, min(end, start + LABEL_CHARS_MAX))
        if colon < 0 or not 0 < len(self.ctx.text[start:colon].split()) <= LABEL_WORDS_MAX:
            return None
        return start, colon

    def _label_speaker(self, label: Span, recurring: Counter[str]) -> Speaker | None:
        mention = self.ctx.mention_at(label[0])
        if mention is not None and (mention.start, mention.end) == label and mention.type in SPEAKER_TYPES:
            return Speaker(label, mention.entity)
        text = self.ctx.text[label[0]:label[1]]
        if not text.isupper() or recurring[text.casefold()] < 2:
            return None
        named = [m for m in self.ctx.mentions if m.type == "PER" and m.text.split()[-1].casefold() == text.casefold()]
        return Speaker(label, named[0].entity if named else None)

    # ------------------------------------------------------------------ reported speech
    def reported(self) -> list[Frame]:
        frames = []
        for cue in self.cues:
            if cue in self.used:
                continue
            content = self._source_content(cue) if cue.source else self._verb_content(cue)
            if content is None:
                continue
            span, content_before = content
            frame = self._attach(cue, span, direct=False, content_before=content_before)
            if frame.speaker is None and not cue.source:
                del self.used[cue]
                continue
            frames.append(frame)
        return frames

    def _source_content(self, cue: Cue) -> tuple[Span, bool] | None:
        """The part of the sentence before or after "according to X", whichever says more."""
        slot = cue.slot or (cue.first, cue.last)
        first, last = min(cue.first, slot[0]), max(cue.last, slot[1])
        sentence = self.ctx.sentence_tokens(self.ctx.tokens[cue.first].sent)
        before = self._content_span(sentence.start, first - 1)
        after = self._content_span(last + 1, sentence.stop - 1)
        best = max((s for s in (before, after) if s is not None), key=self._words, default=None)
        return (best, best == before) if best is not None else None

    def _verb_content(self, cue: Cue) -> tuple[Span, bool] | None:
        sentence = self.ctx.sentence_tokens(self.ctx.tokens[cue.first].sent)
        backward = self._content_before(cue, sentence)
        if backward is not None:
            return backward, True
        forward = self._content_after(cue, sentence)
        return (forward, False) if forward is not None else None

    def _content_before(self, cue: Cue, sentence: range) -> Span | None:
        """"CONTENT, X said." / "CONTENT, said X." / "CONTENT1, X said, CONTENT2."."""
        boundary = cue.first - 1
        while boundary >= sentence.start and not self.ctx.is_boundary(boundary):
            boundary -= 1
        if boundary < sentence.start or sum(self.ctx.is_word(i) for i in range(boundary, cue.first)) > SUBJECT_MAX:
            return None
        tail_end = self._clause_end(cue.last + 1, sentence.stop)
        inverted = boundary == cue.first - 1
        if not self._is_tail(cue.last + 1, tail_end - 1, inverted) or self._has_cue(sentence.start, cue.first):
            return None
        resumes = tail_end < sentence.stop - 1 and self.ctx.tokens[tail_end].text == "," \
            and not self._has_cue(tail_end + 1, tail_end + 2 + SUBJECT_MAX)  # not "…, X said, Y said …"
        if not any(self.ctx.is_word(i) for i in range(sentence.start, boundary)):
            return None
        return self._content_span(sentence.start, sentence.stop - 1 if resumes else boundary - 1)

    def _clause_end(self, first: int, stop: int) -> int:
        """Index of the first boundary token from `first` (or `stop`), quotation marks left aside."""
        end = first
        while end < stop and (not self.ctx.is_boundary(end) or self.ctx.is_quote_mark(end)):
            end += 1
        return end

    def _is_tail(self, first: int, last: int, inverted: bool) -> bool:
        """True when tokens `first..last`, after a cue, end its clause without saying anything: nothing,
        an adjunct ("on Monday", "in a statement") or, after a cue with no subject before it, the speaker
        ("said O'Neill")."""
        if first > last:
            return True
        if sum(self.ctx.is_word(i) for i in range(first, last + 1)) > TAIL_MAX:
            return False
        return bool(set(self.ctx.forms(first)) & self.ctx.lex.adjuncts) or (
            inverted and self.speakers.in_region(first, last, from_right=False) is not None)

    def _content_after(self, cue: Cue, sentence: range) -> Span | None:
        """"X said (that) CONTENT", up to the sentence end or the next cue's clause."""
        start = self._after_complementizer(cue, sentence)
        if start is None:
            start = cue.last + 1
            if start >= sentence.stop:
                return None
            if self.ctx.tokens[start].text in (":", ","):
                start += 1
            elif set(self.ctx.forms(start)) & self.ctx.lex.adjuncts or (
                    self.ctx.is_boundary(start) and not self.ctx.is_quote_mark(start)):
                return None
        end = sentence.stop - 1
        for other in self.cues:
            if start < other.first <= end:
                clause = other.first - 1
                while clause > start and not self._clause_break(clause, other.first) \
                        and other.first - clause <= NEXT_CLAUSE_MAX:
                    clause -= 1
                if clause > start and self._clause_break(clause, other.first):
                    end = clause - 1
                    break
        return self._content_span(start, end)

    def _after_complementizer(self, cue: Cue, sentence: range) -> int | None:
        for i in range(cue.last + 1, min(sentence.stop, cue.last + 1 + COMPLEMENTIZER_WINDOW)):
            if self.ctx.ends_sentence(i) or self.ctx.in_quote(i) or self.ctx.tokens[i].pos in CLAUSE_POS:
                return None  # a verb first: the reported clause has begun, a later "that" is inside it
            if self._complementizer(i):
                return i + 1 if i + 1 < sentence.stop else None
        return None

    def _clause_break(self, i: int, cue: int) -> bool:
        """A comma, dash, ... or a conjunction right before the cue ("… and said"): where the clause a
        cue begins starts."""
        if self.ctx.tokens[i].pos == "CCONJ":
            return cue - i <= CONJUNCTION_GAP
        return self.ctx.is_boundary(i) and not self.ctx.is_quote_mark(i)

    def _has_cue(self, first: int, stop: int) -> bool:
        return any(first <= c.first < stop for c in self.cues)

    def _content_span(self, first: int, last: int) -> Span | None:
        """Tokens `first..last` without boundary punctuation at either end, if they hold enough words."""
        while first <= last and self.ctx.is_boundary(first) and not self.ctx.in_quote(first):
            first += 1
        while last >= first and self.ctx.is_boundary(last) and not self.ctx.in_quote(last):
            last -= 1
        if last < first or sum(self.ctx.is_word(i) for i in range(first, last + 1)) < MIN_CONTENT_WORDS:
            return None
        return self.ctx.span_of(first, last)

    # ------------------------------------------------------------------ speakers
    def _attach(self, cue: Cue, content: Span, direct: bool, content_before: bool) -> Frame:
        speaker = self._speaker(cue, content_before)
        if direct:
            score = CUED
        else:
            score = REPORTED if speaker is not None and speaker.named else REPORTED_UNNAMED
        frame = Frame(content, direct, score, self.ctx.span_of(cue.first, cue.last), speaker)
        self.used[cue] = frame
        return frame

    def _speaker(self, cue: Cue, content_before: bool) -> Speaker | None:
        """Who `cue` attributes words to: its subject in the parse when it has one, else the name,
        title or pronoun next to it (before it; after it for an inverted cue: "said O'Neill", "a tweeté X";
        an earlier speaker of the sentence for a participle), else the bare noun phrase of its subject."""
        speakers = self.speakers
        if cue.source:
            first, last = cue.slot or (cue.first, cue.last)
            return speakers.in_region(first, last, from_right=False) or speakers.noun_phrase(first, last, False)
        parsed = speakers.subject_of(cue.first)
        if parsed is not None:
            return parsed
        clause_start = self._clause_start(cue.first)
        found = speakers.in_region(clause_start, cue.first - 1, from_right=True)
        if found is None and cue.participle:
            found = self._shared_speaker(cue)
        if found is None and (content_before or clause_start == cue.first):
            found = speakers.in_region(cue.last + 1, self._inverted_subject_end(cue), from_right=False)
        if found is None and clause_start == cue.first:
            found = self._appositive_subject(clause_start)
        if found is None and content_before and self._inverted_subject_end(cue) == cue.last:
            found = self._implicit_subject(cue)
        return found or speakers.noun_phrase(clause_start, cue.first - 1, from_right=True)

    def _implicit_subject(self, cue: Cue) -> Speaker | None:
        """A cue with no subject at all ("«…», aseguró.", "«…» — добавил."): a language that drops its
        subject pronouns means the person the text is about, as a pronoun would."""
        person = self.speakers.first_person(self.ctx.tokens[cue.first].start)
        return Speaker((person.start, person.end), person.entity) if person is not None else None

    def _clause_start(self, i: int) -> int:
        """First token of the clause token `i` is in: after the last boundary before it, in its sentence."""
        sent = self.ctx.tokens[i].sent
        while i > 0 and not self.ctx.is_boundary(i - 1) and self.ctx.tokens[i - 1].sent == sent:
            i -= 1
        return i

    def _inverted_subject_end(self, cue: Cue) -> int:
        """Last token where a subject after the cue may end ("said O'Neill, on …")."""
        end = cue.last + 1
        sent = self.ctx.tokens[cue.last].sent
        while end < len(self.ctx.tokens) and end - cue.last <= SUBJECT_MAX \
                and not self.ctx.is_boundary(end) and self.ctx.tokens[end].sent == sent:
            end += 1
        return end - 1

    def _shared_speaker(self, cue: Cue) -> Speaker | None:
        """The speaker of an earlier frame of the sentence, or its first name ("X said …, adding …")."""
        sent = self.ctx.tokens[cue.first].sent
        start = self.ctx.tokens[cue.first].start
        earlier = [f for f in self.used.values() if f.cue and f.cue[0] < start and f.speaker is not None
                   and self.ctx.analysis.sentence_of(f.cue[0]) == sent]
        if earlier:
            return max(earlier, key=lambda f: f.cue[0] if f.cue else 0).speaker
        return self.speakers.clause_subject(start)

    def _appositive_subject(self, clause_start: int) -> Speaker | None:
        """"Richard Revesz, director of …, said": the name that opens the clause the commas cut."""
        i = clause_start - 1
        sent = self.ctx.tokens[clause_start].sent
        while i > 0 and self.ctx.tokens[i - 1].sent == sent and not self.ctx.in_quote(i - 1) \
                and not self.ctx.ends_sentence(i - 1):
            i -= 1
        return self.speakers.in_region(i, clause_start - 1, from_right=False)

    def _words(self, span: Span) -> int:
        return sum(self.ctx.is_word(t.i) for t in self.ctx.analysis.tokens_in(span))


def _trimmed(text: str, span: Span, marks: frozenset[str] = frozenset()) -> Span:
    """`span` without the whitespace (and the `marks`) around it."""
    start, end = span
    while start < end and (text[start].isspace() or text[start] in marks):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks):
        end -= 1
    return start, end
