"""Reported (indirect) speech: the clause a cue left over by the quotations attributes.

The clause after the cue ("X said (that) …", "X a déclaré que …", "X заявил, что …", up to the
sentence end or to where the next cue's clause begins: ", though she noted", "and said"), the
clause before it ("…, X said", "…, said X"; "A, X said, B" takes both sides; with the sentences
before it in its paragraph that attribute nothing themselves), or, for a source
phrase, the larger rest of the sentence ("according to X, …", "по словам X, …"). A verb cue
whose speaker cannot be found attributes nothing.
"""

from __future__ import annotations

from newsgraph.model import Span
from newsgraph.quotes.attribution import SUBJECT_MAX, Attributor, Frame
from newsgraph.quotes.context import Context
from newsgraph.quotes.cues import Cue

COMPLEMENTIZER_WINDOW = 12  # tokens after a cue searched for "that" ("said in a statement on Monday that")
CLAUSE_POS = frozenset({"VERB", "AUX"})
SOURCE_CLAUSE_MAX = 20  # words of "…, wie der Unterhändler X nach den Gesprächen vor Journalisten erklärte"
TAIL_MAX = 5  # words after a cue that ends its clause ("…, he said on Monday")
MIN_CONTENT_WORDS = 2
CONJUNCTION_GAP = 2  # "and said", "and also said": a conjunction this close before a cue starts its clause
NEXT_CLAUSE_MAX = 5  # tokens from a boundary to the next cue, for reported content to end at the boundary
INTRODUCERS = (":", ",")
LEAD_SENTENCES_MAX = 3  # "said: …", German "sagte, …"


def reported_frames(attr: Attributor) -> list[Frame]:
    frames = []
    for cue in attr.cues:
        if cue in attr.used:
            continue
        if cue.passive:
            content = _passive_content(attr.ctx, cue)
        elif cue.source:
            content = _source_content(attr.ctx, cue)
        else:
            content = _verb_content(attr, cue)
        if content is None:
            continue
        span, content_before = content
        frame = attr.attach(cue, span, direct=False, content_before=content_before)
        frame.sourced = cue.source and not cue.passive
        if (frame.speaker is None and not cue.source and not cue.impersonal) or _the_writer(attr.ctx, frame):
            del attr.used[cue]
            continue
        frames.append(frame)
    return frames


def _the_writer(ctx: Context, frame: Frame) -> bool:
    """True when a first-person pronoun outside any quotation is the subject of a verb of publishing
    ("Также мы писали, что …", "as we reported"): the outlet pointing to its own earlier reporting
    reports no one's words. With any other cue ("I believe", "we know") the writer takes a stance,
    which is attributed to the writer like anyone's."""
    if frame.speaker is None or frame.cue is None:
        return False
    cue = ctx.first_token_from(frame.cue[0])
    if cue is None or not set(ctx.forms(cue)) & ctx.lex.publishing:
        return False
    start, end = frame.speaker.span
    if ctx.quote_at(start) is None and ctx.text[start:end].casefold() in ctx.lex.first_person:
        return True
    # unparsed, the subject may be missed ("Wie wir am Montag berichteten"): a first-person word in the cue's
    # clause before it is the subject all the same
    return any(
        ctx.word(i) in ctx.lex.first_person and not ctx.in_quote(i) for i in range(ctx.clause_start(cue), cue)
    )


def _passive_content(ctx: Context, cue: Cue) -> tuple[Span, bool] | None:
    """What the subject of a passive cue names ("The outage was first reported by …")."""
    subjects = [c for c in ctx.analysis.children(cue.first) if c.dep.startswith("nsubj:pass")]
    if not subjects:
        return None
    start, end = ctx.analysis.subtree_span(subjects[0].i)
    first, last = ctx.first_token_from(start), ctx.first_token_from(end)
    if first is None or any(ctx.in_quote(i) for i in range(first, last if last is not None else first + 1)):
        return None
    return (start, end), True


def _source_content(ctx: Context, cue: Cue) -> tuple[Span, bool] | None:
    """The part of the sentence before or after "according to X", whichever says more."""
    slot = cue.slot or (cue.first, cue.last)
    first, last = min(cue.first, slot[0]), max(cue.last, slot[1])
    sentence = ctx.sentence_tokens(ctx.tokens[cue.first].sent)
    before = _content_span(ctx, sentence.start, first - 1)
    after = None if cue.trailing else _content_span(ctx, last + 1, sentence.stop - 1)
    best = max((s for s in (before, after) if s is not None), key=ctx.words_in, default=None)
    return (best, best == before) if best is not None else None


def _verb_content(attr: Attributor, cue: Cue) -> tuple[Span, bool] | None:
    sentence = attr.ctx.sentence_tokens(attr.ctx.tokens[cue.first].sent)
    backward = _content_before(attr, cue, sentence)
    if backward is not None:
        return backward, True
    forward = content_after(attr, cue, sentence)
    return (forward, False) if forward is not None else None


def _content_before(attr: Attributor, cue: Cue, sentence: range) -> Span | None:
    """ "CONTENT, X said." / "CONTENT, said X." / "CONTENT1, X said, CONTENT2."."""
    ctx = attr.ctx
    boundary = cue.first - 1
    while boundary >= sentence.start and not ctx.is_boundary(boundary):
        boundary -= 1
    if boundary < sentence.start:
        return None
    limit = SOURCE_CLAUSE_MAX if _opens_source_clause(ctx, boundary + 1) else SUBJECT_MAX
    if ctx.words_between(boundary, cue.first) > limit:
        return None
    tail_end = ctx.clause_end(cue.last + 1, sentence.stop)
    inverted = attr.after_auxiliaries(boundary + 1, cue.first) == cue.first  # "…, ha spiegato Araghchi"
    if not _is_tail(attr, cue.last + 1, tail_end - 1, inverted) or _attributes_before(
        attr, sentence.start, cue
    ):
        return None
    if not ctx.words_between(sentence.start, boundary):
        return None
    resumes = (
        tail_end < sentence.stop - 1
        and ctx.tokens[tail_end].text == ","
        and not attr.has_cue(tail_end + 1, min(sentence.stop, tail_end + 2 + SUBJECT_MAX))
    )  # not "…, X said, Y said …" (a cue of the next sentence does not count)
    last = sentence.stop - 1 if resumes else boundary - 1
    if not _has_clause(ctx, sentence.start, last):
        return None  # "In a statement, Peabody said", "But in July 2012, Patriot predicted": an adjunct
    return _content_span(ctx, _paragraph_lead(attr, sentence.start), last)


def _has_clause(ctx: Context, first: int, last: int) -> bool:
    """True when tokens `first..last` hold a verb, or when the language is not parsed (no way to tell)."""
    tokens = range(first, last + 1)
    if not any(ctx.tokens[i].dep for i in tokens):
        return True
    return any(ctx.tokens[i].pos in CLAUSE_POS or ctx.in_quote(i) for i in tokens)


def _attributes_before(attr: Attributor, first: int, cue: Cue) -> bool:
    """True when a cue from token `first` to `cue` already attributes a frame: what stands before
    `cue` is that cue's report. A speech word there that attributes nothing ("… Could Address Clean
    Energy, Graham Says") is part of what `cue` reports."""
    return any(
        first <= other.first < cue.first and frame.speaker is not None and frame.speaker.named
        for other, frame in attr.used.items()
    )


def _opens_source_clause(ctx: Context, i: int) -> bool:
    """True when token `i` begins a clause that names the source of what precedes ("wie", "as")."""
    return any(
        all(i + k < len(ctx.tokens) and ctx.word(i + k) == word for k, word in enumerate(words))
        for words in ctx.lex.clause_openers
    )


def _paragraph_lead(attr: Attributor, first: int) -> int:
    """First token of the sentences before token `first` in its paragraph that attribute nothing
    themselves: what "…, X said." at a paragraph's end reports begins there."""
    ctx = attr.ctx
    sent = ctx.tokens[first].sent
    for _ in range(LEAD_SENTENCES_MAX):
        if sent == 0:
            break
        previous = ctx.sentence_tokens(sent - 1)
        if (
            not previous
            or "\n" in ctx.text[ctx.tokens[previous.stop - 1].end : ctx.tokens[first].start]
            or attr.has_cue(previous.start, previous.stop)
            or any(ctx.in_quote(i) for i in previous)
        ):
            break
        first, sent = previous.start, sent - 1
    return first


def _is_tail(attr: Attributor, first: int, last: int, inverted: bool) -> bool:
    """True when tokens `first..last`, after a cue, end its clause without saying anything: nothing,
    an adjunct ("on Monday", "in a statement") or, after a cue with no subject before it, the speaker
    ("said O'Neill")."""
    ctx = attr.ctx
    if first > last:
        return True
    if ctx.words_between(first, last + 1) > TAIL_MAX:
        return False
    if _is_adjunct(ctx, first):
        return True
    speaker = attr.speakers.in_region(first, last, from_right=False) if inverted else None
    if speaker is None:
        return False
    after = ctx.first_token_from(speaker.span[1])  # the speaker, then at most an adjunct
    return after is None or after > last or _is_adjunct(ctx, after)


def _is_adjunct(ctx: Context, i: int) -> bool:
    return bool(set(ctx.forms(i)) & ctx.lex.adjuncts)


def _bounds_number(ctx: Context, i: int) -> bool:
    """True for a bound right before a number ("said about 300 people died", "заявил, что около 300"):
    it opens a figure in reported content, not an adjunct or an addressee."""
    following = i + 1 < len(ctx.tokens) and ctx.tokens[i + 1].text[:1].isdigit()
    return following and ctx.word(i) in ctx.lex.number_bounds


def content_after(attr: Attributor, cue: Cue, sentence: range) -> Span | None:
    """ "X said (that) CONTENT", up to the sentence end or the next cue's clause."""
    ctx = attr.ctx
    # after a governed preposition ("asked about"), a "that" belongs to its object ("about his claim that")
    start = None if cue.governed else _after_complementizer(ctx, cue, sentence)
    if start is not None and attr.has_cue(cue.last + 1, start - 1):
        start = None  # "rejected Jane Cole's claim that …": the complementizer is the noun's, not the verb's
    if start is None:
        start = cue.last + 1
        if start >= sentence.stop:
            return None
        if ctx.tokens[start].text == ":" and start + 1 == sentence.stop:
            return _next_paragraph(ctx, ctx.tokens[start].end)  # "Limbaugh added:" above what he said
        if ctx.tokens[start].text in INTRODUCERS:
            start += 1
        elif (
            not cue.governed
            and not _bounds_number(ctx, start)
            and (
                _is_adjunct(ctx, start)
                or ctx.tokens[start].pos == "ADP"  # "spoke to a gathering", "wrote on Twitter": no clause
                or (ctx.is_boundary(start) and not ctx.is_quote_mark(start))
            )
        ):
            return None
    return _content_span(ctx, start, _next_clause(attr, start, _clause_last(ctx, cue, sentence.stop - 1)))


def _clause_last(ctx: Context, cue: Cue, end: int) -> int:
    """The last token of the cue's own clause, at most `end`: a cue in an adverbial clause that a
    conjunction opens before its main clause ("While Trump has railed against X, he has sought Y")
    reports nothing of the main clause after it."""
    token = ctx.tokens[cue.first]
    subordinate = (
        token.dep == "advcl" and token.head > cue.first
    )  # an adverbial clause before its main clause
    if not subordinate or not any(c.dep == "mark" for c in ctx.analysis.children(cue.first)):
        return end  # unparsed, or a main clause: its clause runs to the sentence end
    last = ctx.first_token_from(ctx.analysis.subtree_span(cue.first)[1])
    return end if last is None else min(end, max(cue.last, last - 1))


def _next_paragraph(ctx: Context, position: int) -> Span | None:
    """The paragraph that starts on the next line after `position` (a cue's colon that ends its own
    line), when it is body text and no quotation (a quotation there is a frame of its own)."""
    line_end = ctx.text.find("\n", position)
    if line_end < 0 or ctx.text[position:line_end].strip():
        return None
    first = ctx.first_token_from(line_end)
    if first is None or ctx.in_quote(first) or ctx.is_quote_mark(first):
        return None
    start = ctx.tokens[first].start
    end = ctx.text.find("\n", start)
    end = len(ctx.text) if end < 0 else end
    if not ctx.doc.in_body(start, end):
        return None
    last = ctx.first_token_from(end)
    return _content_span(ctx, first, (last if last is not None else len(ctx.tokens)) - 1)


def _after_complementizer(ctx: Context, cue: Cue, sentence: range) -> int | None:
    """The token after the "that" opening the cue's reported clause, if one comes before any verb."""
    for i in range(cue.last + 1, min(sentence.stop, cue.last + 1 + COMPLEMENTIZER_WINDOW)):
        if ctx.ends_sentence(i) or ctx.in_quote(i) or ctx.tokens[i].pos in CLAUSE_POS:
            return None  # a verb first: the reported clause has begun, a later "that" is inside it
        if ctx.is_complementizer(i):
            return i + 1 if i + 1 < sentence.stop else None
    return None


def _next_clause(attr: Attributor, start: int, end: int) -> int:
    """Last token of reported content from `start`: before the boundary or conjunction that opens a
    later cue's clause (", though she acknowledged", "and suggested"), else `end`. A verb of thinking
    or wanting ("she hopes …, but she knows that …") is part of what is reported, not a new report."""
    ctx = attr.ctx
    for other in attr.cues:
        if not start < other.first <= end or set(ctx.forms(other.first)) & ctx.lex.inner_verbs:
            continue
        for clause in range(other.first - 1, max(start, other.first - NEXT_CLAUSE_MAX - 1), -1):
            if _clause_break(ctx, clause, other.first):
                return clause - 1
    return end


def _clause_break(ctx: Context, i: int, cue: int) -> bool:
    """A comma, dash, ... or a conjunction right before the cue ("… and said"): where its clause starts."""
    if ctx.tokens[i].pos == "CCONJ":
        return cue - i <= CONJUNCTION_GAP
    return ctx.is_boundary(i) and not ctx.is_quote_mark(i)


def _content_span(ctx: Context, first: int, last: int) -> Span | None:
    """Tokens `first..last` without boundary punctuation at either end, if they hold enough words."""
    while first <= last and ctx.is_boundary(first) and not ctx.in_quote(first):
        first += 1
    while last >= first and ctx.is_boundary(last) and not ctx.in_quote(last):
        last -= 1
    if last < first or ctx.words_between(first, last + 1) < MIN_CONTENT_WORDS:
        return None
    return ctx.span_of(first, last)
