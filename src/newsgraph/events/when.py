"""Which date an event takes: its own time expression, else the publication date.

A sentence often names several dates, and only one (or none) says when its event happened: "the third
visit since the 7 October attack", "talks on Thursday, a week after the summit of 3 March". An event
takes a dated expression of its sentence only when that expression is about it:

- never a *bound* ("since 7 October", "seit dem 7. Oktober", "после нападения ХАМАС 7 октября",
  "7 Ekim'den beri"): the words of `bounds_before`/`bounds_after` in the language's `times.toml` make
  a date the start or end of something, not the day the event took place; nor a date next to an
  anniversary word (`anniversaries`), nor one introduced by a genitive word (`of_words`: "of", "du",
  "del", "vom") after another word than the trigger ("l'attaque du 7 octobre"), unless that word is a
  time word itself ("la noche del 3 de marzo");
- with a parse (`dep` set): the expression depends on the trigger, or on the light verb of a noun
  trigger ("held talks on Monday") — its *own* date; or it heads a clause the trigger stands in
  ("On Monday, he flew to Israel to meet …") — a *shared* date; or it depends on no trigger — a
  *free* one. A date that hangs from another noun on its way up and belongs to it (a date before the
  noun: "the October 7 attack"; a noun after a bound word: "after the attack of 7 October"; an
  anniversary) or from another trigger's clause is someone else's;
- without a parse: the nearest dated expression of the sentence, one in the trigger's stretch (no
  comma or dash between) or heading the sentence first, leaving out one in a subordinate clause the
  trigger is not in (the clause opens with a word of `clause_openers`: "…, der am Montag …").

An event with no own date takes the publication date, marked `origin="inferred"`: a reported contact
happened on or before it (`newsgraph.events.dates` turns that into a window of days). In an article
without a publication date, an own expression that needs one ("am Mittwoch") is kept with no value
and its span: clustering then lets it pick, among the meetings it could report, the one on a Wednesday.

A contact the parse puts in a past tense, resolved past its publication through a bare weekday ("on
Friday" read as the coming Friday because a future word stood nearby in another clause), is read
again on its own: the latest such day on or before publication. Planned events keep the date they
were announced for; without a parse the tense is unknown and the times stage's reading stands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.events.dates import NOT_HAPPENED
from newsgraph.language.syntax import Analysis, Token
from newsgraph.model import DateValue, Document, Span, TimeExpression
from newsgraph.times.component import resolve_expression
from newsgraph.times.grammar import Grammar, grammar_for, normalise_word

DAY_OR_FINER = ("day", "hour", "minute")
DATED_KINDS = ("date", "time")
NOT_PAST = NOT_HAPPENED
NOMINAL = frozenset({"NOUN", "PROPN"})
ARTICLE_LETTERS = 3  # a word this short between a bound word and the date is an article ("seit dem")
BOUND_REACH = 3  # words before a date searched for a bound or an anniversary word
LONG_BOUND = 4  # bound words this long are unambiguous a few words away ("после", "since", "after")
TIME_WORD_CLASSES = ("part", "unit", "weekday", "month", "dayrel", "season", "clock_word")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")
_SUFFIX = re.compile(r"['’][^\W_]+")
CLAUSE_MARKS = re.compile(r"[,;:()–—،؛]|\s-\s")  # with the Arabic-script comma and semicolon
HEADING_WORDS = 2  # words before a date that still heads its sentence ("Am", "Lo scorso", "W")

# how an expression relates to the trigger, best first
OWN, SHARED, FREE = 0, 1, 2


@dataclass(frozen=True)
class Candidate:
    """A time expression that may date the event: how it relates to the trigger, how far it stands."""

    relation: int
    distance: int
    time: TimeExpression


def event_date(
    doc: Document,
    analysis: Analysis,
    trigger: Token,
    span: Span,
    triggers: frozenset[int],
    context: Sequence[str] = (),
) -> DateValue | None:
    """The date of the event at `trigger`: its own time expression, else the publication date (inferred)."""
    found = parsed_time(doc, analysis, trigger, triggers) if trigger.dep else light_time(doc, span)
    if found is not None and found.value:
        value, precision = (found.value, found.precision)
        if in_past_tense(analysis, trigger) and not set(context) & NOT_PAST:
            value, precision = past_reading(doc, found)
        return DateValue(value, precision, (found.start, found.end), "text")
    if found is not None:  # "on Wednesday" in an undated article: the words, for its cluster to match
        return DateValue(None, None, (found.start, found.end), "text")
    return inferred_date(doc.published)


# ------------------------------------------------------------------------------ with a parse
def parsed_time(
    doc: Document, analysis: Analysis, trigger: Token, triggers: frozenset[int]
) -> TimeExpression | None:
    """The sentence's dated expression about the trigger (own, else shared, else free; nearest first)."""
    grammar = grammar_for(doc.lang)
    sentence = analysis.sentences[trigger.sent]
    inside = dated_in(doc, sentence)
    predicate = light_verb_chain(analysis, trigger)
    candidates = []
    span = (trigger.start, trigger.end)
    for time in inside:
        if about_something_else(doc.text, time, span, sentence, grammar):
            continue
        token = head_token(analysis, time)
        if token is None:
            continue
        relation = relation_to(analysis, token, trigger, predicate, triggers, inside, grammar)
        if relation is not None:
            candidates.append(Candidate(relation, distance(span, time), time))
    return best(candidates)


def light_verb_chain(analysis: Analysis, trigger: Token) -> frozenset[int]:
    """The trigger and, for a noun, the verb it is the object of ("held [talks]", "a eu [un entretien]")."""
    governor = analysis.tokens[trigger.head]
    if trigger.pos in NOMINAL and governor.i != trigger.i and governor.pos in ("VERB", "AUX"):
        return frozenset({trigger.i, governor.i})
    return frozenset({trigger.i})


def head_token(analysis: Analysis, time: TimeExpression) -> Token | None:
    """The token of the expression whose head lies outside it (its syntactic head)."""
    tokens = analysis.tokens_in((time.start, time.end))
    for token in tokens:
        head = analysis.tokens[token.head]
        if head.i == token.i or not (time.start <= head.start and head.end <= time.end):
            return token
    return tokens[0] if tokens else None


def relation_to(
    analysis: Analysis,
    token: Token,
    trigger: Token,
    predicate: frozenset[int],
    triggers: frozenset[int],
    times: Sequence[TimeExpression],
    grammar: Grammar,
) -> int | None:
    """OWN, SHARED or FREE for an expression headed by `token`; None when it belongs to something else.

    Walks up from the expression: reaching the trigger (or its light verb) first makes it the trigger's
    own, unless a common noun stood in between (the date then modifies that noun; names are passed
    over, a parser often hangs "on Friday" from the nearest place name); reaching another trigger
    makes it that trigger's, shared only when our trigger stands in that trigger's clause."""
    nominal = False
    current = token
    for _ in range(len(analysis.tokens)):
        if current.head == current.i:
            return None if nominal else FREE
        current = analysis.tokens[current.head]
        if current.i in predicate:
            return None if nominal else OWN
        if current.i in triggers:
            return SHARED if not nominal and dominates(analysis, current, trigger) else None
        if current.pos == "NOUN" and not within_any(current, times):
            nominal = nominal or names_other_event(analysis, current, token, grammar)
    return None


def names_other_event(analysis: Analysis, noun: Token, date: Token, grammar: Grammar) -> bool:
    """True when the date belongs to a noun on its way up: the date stands before it ("the October 7
    attack", "7 Ekim saldırısı"), the noun follows a bound word ("after the attack of 7 October"), or
    it is an anniversary. Otherwise a parser's attachment to a noun ("for the second time on Monday")
    is not trusted to change whose date it is."""
    if date.end <= noun.start or normalise_word(noun.text) in grammar.anniversaries:
        return True
    return any(
        c.dep == "case" and normalise_word(c.text) in grammar.bounds_before for c in analysis.children(noun.i)
    )


def dominates(analysis: Analysis, ancestor: Token, token: Token) -> bool:
    """True when `token` stands in the subtree of `ancestor`."""
    return token.i == ancestor.i or any(t.i == ancestor.i for t in analysis.ancestors(token.i))


def within_any(token: Token, times: Sequence[TimeExpression]) -> bool:
    return any(t.start <= token.start and token.end <= t.end for t in times)


# ------------------------------------------------------------------------------ without a parse
def light_time(doc: Document, span: Span) -> TimeExpression | None:
    """The nearest dated expression of the sentence that is neither a bound nor another noun's date;
    one in the trigger's stretch of the sentence (no comma, colon or dash between) first, or heading
    the sentence ("El martes, Sánchez se reunió …")."""
    sentence = sentence_of(doc, span)
    if sentence is None:
        return None
    grammar = grammar_for(doc.lang)
    candidates = [
        Candidate(OWN if same_stretch(doc.text, time, span, sentence) else FREE, distance(span, time), time)
        for time in dated_in(doc, sentence)
        if not about_something_else(doc.text, time, span, sentence, grammar)
        and not in_other_clause(doc.text, time, span, sentence, grammar)
    ]
    return best(candidates)


def in_other_clause(text: str, time: TimeExpression, trigger: Span, sentence: Span, grammar: Grammar) -> bool:
    """True when the expression stands in a subordinate clause the trigger is not in: a clause mark
    comes between them, and the expression's stretch opens with a word of `clause_openers` ("Scholz traf
    Macron, der am Montag …", "…, który w poniedziałek …")."""
    if not CLAUSE_MARKS.search(text[min(time.end, trigger[1]) : max(time.start, trigger[0])]):
        return False
    marks = list(CLAUSE_MARKS.finditer(text, sentence[0], time.start))
    opening = _WORD.findall(text, marks[-1].end(), time.start) if marks else []
    return bool(opening) and normalise_word(opening[0]) in grammar.clause_openers


def same_stretch(text: str, time: TimeExpression, trigger: Span, sentence: Span) -> bool:
    """True when no clause mark stands between the expression and the trigger ("Scholz traf Macron, der
    am Montag zurückgekehrt war": Monday is the relative clause's), or the expression heads the sentence."""
    between = text[min(time.end, trigger[1]) : max(time.start, trigger[0])]
    if not CLAUSE_MARKS.search(between):
        return True
    opening = text[sentence[0] : time.start]
    return not CLAUSE_MARKS.search(opening) and len(_WORD.findall(opening)) <= HEADING_WORDS


def modifies_other_word(
    text: str, time: TimeExpression, trigger: Span, sentence: Span, grammar: Grammar
) -> bool:
    """True for "l'attaque du 7 octobre", "the summit of 3 March": a genitive word before the expression,
    and before it a word that is neither the trigger nor a time word ("le soir du 3 mars")."""
    before = words_before(text, time.start, sentence[0], 3)
    if len(before) < 2:
        return False
    (word, word_start), (genitive, _) = before[-2], before[-1]
    if normalise_word(genitive) not in grammar.of_words or not word[0].isalpha():
        return False
    if trigger[0] <= word_start < trigger[1]:
        return False
    return not any(normalise_word(word) in grammar.words.get(cls, {}) for cls in TIME_WORD_CLASSES)


# ------------------------------------------------------------------------------ shared helpers
def dated_in(doc: Document, sentence: Span) -> list[TimeExpression]:
    """The sentence's date and time expressions with a value; in an article without a publication date
    also those that need one ("Wednesday", "3 March"), which then date the event by its cluster."""
    anchored = doc.published is not None and bool(doc.published.value)
    return [
        t
        for t in doc.times
        if (t.value is not None or not anchored)
        and t.kind in DATED_KINDS
        and sentence[0] <= t.start
        and t.end <= sentence[1]
    ]


def sentence_of(doc: Document, span: Span) -> Span | None:
    return next((s for s in doc.sentences if s[0] <= span[0] < s[1]), None)


def about_something_else(
    text: str, time: TimeExpression, trigger: Span, sentence: Span, grammar: Grammar
) -> bool:
    """True when the words around an expression make it a bound, an anniversary or another noun's date."""
    return (
        is_bound(text, time, trigger, sentence, grammar)
        or near_anniversary(text, time, sentence, grammar)
        or modifies_other_word(text, time, trigger, sentence, grammar)
    )


def is_bound(text: str, time: TimeExpression, trigger: Span, sentence: Span, grammar: Grammar) -> bool:
    """True when a bound word stands right before the expression ("since", "seit dem", "depuis le": an
    article may come between), or a longer one a few words before with no trigger between ("после
    нападения ХАМАС 7 октября"; short ones such as "с", "z" also mean "with"), or a bound word right
    after it (Turkish "7 Ekim'den beri")."""
    before = words_before(text, time.start, sentence[0], BOUND_REACH)
    words = [normalise_word(w) for w, _ in before]
    if words and words[-1] in grammar.bounds_before:
        return True
    if len(words) >= 2 and len(words[-1]) <= ARTICLE_LETTERS and words[-2] in grammar.bounds_before:
        return True
    crosses_trigger = any(trigger[0] <= start < trigger[1] for _, start in before)
    if not crosses_trigger and any(len(w) >= LONG_BOUND and w in grammar.bounds_before for w in words):
        return True
    after = words_after(text, time.end, sentence[1], 1)
    return bool(after) and normalise_word(after[0]) in grammar.bounds_after


def near_anniversary(text: str, time: TimeExpression, sentence: Span, grammar: Grammar) -> bool:
    """True when an anniversary word stands a few words before or after the expression."""
    before = [normalise_word(w) for w, _ in words_before(text, time.start, sentence[0], BOUND_REACH)]
    after = [normalise_word(w) for w in words_after(text, time.end, sentence[1], 2)]
    return bool(set(before + after) & grammar.anniversaries)


def words_before(text: str, offset: int, floor: int, count: int) -> list[tuple[str, int]]:
    """Up to `count` words right before `offset` (with their starts), none across punctuation."""
    words = [(m.group(), m.start()) for m in _WORD.finditer(text, max(floor, offset - 80), offset)]
    out: list[tuple[str, int]] = []
    for word, start in reversed(words):
        if not word[0].isalnum() or len(out) == count:
            break
        out.insert(0, (word, start))
    return out


def words_after(text: str, offset: int, ceiling: int, count: int) -> list[str]:
    """Up to `count` words right after `offset`, none across punctuation; a case suffix glued by an
    apostrophe ("Ekim'den") is passed over."""
    suffix = _SUFFIX.match(text, offset, ceiling)
    if suffix:
        offset = suffix.end()
    out: list[str] = []
    for match in _WORD.finditer(text, offset, min(ceiling, offset + 80)):
        word = match.group()
        if not word[0].isalnum() or len(out) == count:
            break
        out.append(word)
    return out


def distance(span: Span, time: TimeExpression) -> int:
    return max(time.start - span[1], span[0] - time.end, 0)


def best(candidates: Sequence[Candidate]) -> TimeExpression | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.relation, c.distance, c.time.start)).time


def in_past_tense(analysis: Analysis, trigger: Token) -> bool:
    """True when the parse says the trigger (or an auxiliary of it) is in a past tense ("met", "a
    rencontré", "встретился"); without a parse nothing is known, and the times stage's reading stands."""
    tokens = [trigger, *(c for c in analysis.children(trigger.i) if c.dep.startswith("aux"))]
    return bool(trigger.dep) and any(t.morph.get("Tense") == "Past" for t in tokens)


def past_reading(doc: Document, time: TimeExpression) -> tuple[str, str | None]:
    """The expression's value; for a past-tense event dated after its publication, the expression read
    on its own (a bare weekday then means the latest such day on or before publication)."""
    value, precision = time.value or "", time.precision
    published = doc.published.value[:10] if doc.published and doc.published.value else None
    if published is None or value[:10] <= published:
        return value, precision
    again, again_precision = resolve_expression(time.text, doc.lang, doc.published)
    if again and again[:10] <= published:
        return again, again_precision
    return value, precision


def inferred_date(published: DateValue | None) -> DateValue | None:
    if published is None or not published.value:
        return None
    if published.precision in DAY_OR_FINER or published.precision is None:
        return DateValue(published.value[:10], "day", None, "inferred")
    return DateValue(published.value, published.precision, None, "inferred")
