"""Which numbers of a sentence report a count or an amount, of what kind, and which are parts of which.

A number becomes a claim when it is money (it has a currency), when the words around it say what
was counted ("tuant … plus de 8 525", "23,000 people were killed", "58 926 blessés"), or when it
counts people or things in a way that makes it a reported figure ("10 000 soldats"). A verb
reaches the numbers after it across coordination ("tué 126 Palestiniens et arrêté environ 2 000":
each number takes its nearest verb) but not across a clause break or a new verb phrase. A number
introduced by "dont" / "including" / "в том числе" is a part of the number before it, and counts
what that total counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.claims.lexicon import Hit
from newsgraph.claims.numbers import Quantity, find_quantities
from newsgraph.claims.rules import ClaimRules, rules_for
from newsgraph.model import Span

BARRIERS = frozenset(';:()[]{}«»"“”„‹›')  # punctuation that closes the reach of a verb
SUBJECT_WORDS = 3  # at most this many words after a number name what it counts
COUNT_NOUN_WORDS = 2  # the counted noun is among its first words ("Israeli soldiers", "мирных жителей")
MAX_CONTENT_BETWEEN = 2  # content words allowed between a verb and its number ("tuant au total plus de")
MAX_TOKENS_AFTER = 5  # "were reported to have been killed"
MAX_SUBCOUNT_GAP = 60  # characters between a total and the cue of its part

_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]")
_SUBJECT_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u202f\u2009]*")
_COLLAPSED = "#"  # stands for another number and what it counts, inside a gap


@dataclass
class Draft:
    """A number of the sentence with what it counts; `kind` None means it is no claim."""

    quantity: Quantity
    subject: Span | None
    kind: str | None = None
    total: int | None = None  # index, among the sentence's drafts, of the total this is a part of

    @property
    def end(self) -> int:
        return self.subject[1] if self.subject else self.quantity.end

    @property
    def span(self) -> Span:
        return self.quantity.start, self.end


def sentence_drafts(text: str, sentence: Span, lang: str | None) -> list[Draft]:
    """Every countable number of `sentence`, with its kind (None when it is no claim) and its total."""
    rules = rules_for(lang)
    start, end = sentence
    drafts = [
        Draft(q, None if q.currency else subject_of(text, q.end, end, rules))
        for q in find_quantities(text, lang, start, end)
        if _countable(q, rules)
    ]
    if not drafts:
        return drafts
    triggers = rules.kinds.find(text, start, end)
    for i, draft in enumerate(drafts):
        total = _total_of(text, drafts, i, rules)
        draft.total = total if total is not None and drafts[total].kind is not None else None
        draft.kind = _kind(text, drafts, i, triggers, rules)
    return drafts


def _countable(q: Quantity, rules: ClaimRules) -> bool:
    """Ranges, percentages, durations and lengths are no counts."""
    return not q.in_range and (q.unit is None or q.unit in rules.reported_units)


def subject_of(text: str, pos: int, limit: int, rules: ClaimRules) -> Span | None:
    """The words right after a number that name what it counts ("Palestiniens", "мирных жителей")."""
    pos = _INLINE_SPACE.match(text, pos, limit).end()  # type: ignore[union-attr]
    connector = rules.connectors.match_at(text, pos)
    if connector is not None and connector.end <= limit:
        pos = _INLINE_SPACE.match(text, connector.end, limit).end()  # type: ignore[union-attr]
    start = end = pos
    for count in range(SUBJECT_WORDS):
        m = _SUBJECT_WORD.match(text, pos, limit)
        if m is None:
            break
        trigger = rules.kinds.match_at(text, m.start())
        if trigger is not None and count > 0 and not _count_noun_after(text, trigger.end, limit, rules):
            break  # "Palestinians killed": the verb, not the group (but "переміщених осіб" is one)
        if (
            trigger is None
            and rules.is_stop_word(m.group())
            and not rules.count_nouns.match_at(text, m.start())
        ):
            break
        end = trigger.end if trigger is not None else m.end()
        pos = _INLINE_SPACE.match(text, end, limit).end()  # type: ignore[union-attr]
    return (start, end) if end > start else None


def _count_noun_after(text: str, pos: int, limit: int, rules: ClaimRules) -> bool:
    pos = _INLINE_SPACE.match(text, pos, limit).end()  # type: ignore[union-attr]
    return rules.count_nouns.match_at(text, pos) is not None


def _kind(text: str, drafts: list[Draft], i: int, triggers: list[Hit[str]], rules: ClaimRules) -> str | None:
    draft = drafts[i]
    q = draft.quantity
    if q.currency:
        return "money"
    if draft.total is not None:
        return drafts[draft.total].kind
    counts_units = _counts_units(text, draft.subject, rules)
    if q.year_like and not counts_units:
        return None  # "en 2015", "in 2014": a year
    subject = draft.subject or (0, 0)
    named = [t for t in triggers if subject[0] <= t.start and t.end <= subject[1]]
    if named:
        return named[0].value  # "58 926 blessés", "240 otages", "23,000 deaths"
    verb = _nearest_verb(text, drafts, i, triggers, rules)
    if verb is not None:
        return verb
    if counts_units or q.unit in rules.reported_units:
        return "other"
    return None


def _counts_units(text: str, subject: Span | None, rules: ClaimRules) -> bool:
    """True when one of the first words of the subject is a count noun: "мирных жителей", but not the
    "жителям" (the addressees) of "телефонных звонков жителям"."""
    if subject is None:
        return False
    words = list(_SUBJECT_WORD.finditer(text, *subject))[:COUNT_NOUN_WORDS]
    return any(rules.count_nouns.match_at(text, w.start()) for w in words)


def _nearest_verb(
    text: str, drafts: list[Draft], i: int, triggers: list[Hit[str]], rules: ClaimRules
) -> str | None:
    draft = drafts[i]
    others = [d.span for j, d in enumerate(drafts) if j != i]
    best: tuple[int, str] | None = None
    for t in triggers:
        if any(a < t.end and t.start < b for a, b in [*others, draft.span]):
            continue  # the noun of another count ("8 525 morts et 3 000 …") is not a verb for this one
        if t.end <= draft.quantity.start:
            distance = _reach_forward(text, t.end, draft.quantity.start, others, rules)
        elif t.start >= draft.end:
            distance = _reach_back(text, draft.end, t.start, others, rules)
        else:
            continue
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, t.value)
    return best[1] if best else None


def _gap_tokens(text: str, start: int, end: int, others: list[Span]) -> list[tuple[int, str]]:
    """(offset, token) between two places, each other count in the gap standing as one `#` token."""
    out: list[tuple[int, str]] = []
    for m in _TOKEN.finditer(text, start, end):
        inside = next((s for s in others if s[0] <= m.start() < s[1]), None)
        if inside is None:
            out.append((m.start(), m.group()))
        elif not out or out[-1] != (inside[0], _COLLAPSED):
            out.append((inside[0], _COLLAPSED))
    return out


def _reach_forward(text: str, start: int, end: int, others: list[Span], rules: ClaimRules) -> int | None:
    """Tokens between a verb and a number after it (one more across a conjunction, so that a verb right
    after the number wins a tie), None when the verb cannot reach it."""
    tokens = _gap_tokens(text, start, end, others)
    if _under_preposition(text, tokens, rules):
        return None  # "wounded 1500 in 210 stabbings, 239 shootings": the verb does not count the attacks
    content, after_conjunction, crossed = 0, False, 0
    for offset, token in tokens:
        if token in BARRIERS:
            return None
        if token == _COLLAPSED or not token[0].isalnum():
            after_conjunction = after_conjunction and token != _COLLAPSED
            continue
        if rules.conjunctions.match_at(text, offset):
            after_conjunction, crossed = True, 1
        elif not rules.is_stop_word(token):
            if after_conjunction:
                return None  # "killed 5 soldiers and destroyed 3": a new verb phrase
            content += 1
    return len(tokens) + crossed if content <= MAX_CONTENT_BETWEEN else None


def _under_preposition(text: str, tokens: list[tuple[int, str]], rules: ClaimRules) -> bool:
    """True when a preposition governs the number: only function words, punctuation and other counts
    (coordinated with it) stand between them."""
    for offset, token in reversed(tokens):
        if token == _COLLAPSED or not token[0].isalnum():
            continue
        if rules.prepositions.match_at(text, offset):
            return True
        if not rules.is_stop_word(token):
            return False
    return False


def _reach_back(text: str, start: int, end: int, others: list[Span], rules: ClaimRules) -> int | None:
    """Tokens between a number (with what it counts) and a verb after it, within one clause."""
    tokens = _gap_tokens(text, start, end, others)
    if len(tokens) > MAX_TOKENS_AFTER:
        return None
    content = 0
    for offset, token in tokens:
        if token == _COLLAPSED or not token[0].isalnum() or rules.conjunctions.match_at(text, offset):
            return None
        content += not rules.is_stop_word(token)
    return len(tokens) if content <= MAX_CONTENT_BETWEEN else None


def _total_of(text: str, drafts: list[Draft], i: int, rules: ClaimRules) -> int | None:
    """The index of the total this number is a part of: "plus de 8 525 Palestiniens, dont 3 542 enfants
    et 2 187 femmes" makes both 3 542 and 2 187 parts of 8 525."""
    if i == 0:
        return None
    previous, start, end = drafts[i - 1], drafts[i - 1].end, drafts[i].quantity.start
    if end - start > MAX_SUBCOUNT_GAP or any(ch in BARRIERS for ch in text[start:end]):
        return None
    if rules.subcount_cues.contains(text, start, end):
        return previous.total if previous.total is not None else i - 1
    if previous.total is not None and _only_links(text, start, end, rules):
        return previous.total
    return None


def _only_links(text: str, start: int, end: int, rules: ClaimRules) -> bool:
    """Only commas and conjunctions between two numbers: "3 542 enfants et 2 187 femmes"."""
    return all(
        token == "," or rules.conjunctions.match_at(text, offset)
        for offset, token in _gap_tokens(text, start, end, [])
    )
