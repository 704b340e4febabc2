"""A spaCy pipeline's attribute ruler, applied from an index of its rules (performance only).

spaCy's `AttributeRuler` sets a token's coarse tag, features or lemma from rules ("a token tagged
NNS is a NOUN with Number=Plur"; English has 179 of them). It runs its `Matcher`, which tries every
rule at every token, and then makes a `Span` per match: in the English pipeline that was a third of
the parse of a sentence (0.30 of 0.78 s of CPU for the 30 English articles of `benchmarks/speed.py`).

Nearly all of these rules are one token with a few attributes that must equal a value, so the rules
that may apply to a token are found by looking its tag, word or coarse tag up in a dict, and only
those are checked. The result is what the ruler gives (`tests/test_speed_session4.py`): the same
matches, applied in the same order (by rule, then position, so that a later rule wins), through the
same `set_token_attrs`. A ruler with any rule this index does not read (an operator, a morphology or
extension attribute, a predicate other than IN, NOT_IN and REGEX) is run as spaCy ships it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.attrs import IDS
from spacy.tokens._retokenize import set_token_attrs

# the token attributes a rule may test here: strings compared by their key in the string store
# (as the Matcher compares them), and lexical flags compared as 0/1
_STRING_ATTRS = {"ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA"}
_FLAG_ATTRS = {"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE"}
# the attribute a pattern's first token is looked up by, best first (the most selective)
_INDEX_ORDER = ("LOWER", "ORTH", "NORM", "LEMMA", "TAG", "POS", "DEP", *sorted(_FLAG_ATTRS))

EQ, IN, NOT_IN, REGEX = "eq", "in", "not_in", "regex"


@dataclass(frozen=True)
class _Test:
    """One attribute test of a pattern token, as the Matcher makes it: EQ the attribute's key equals
    `value`; IN / NOT_IN it is (not) among `value`; REGEX `value.search` finds the attribute's text."""

    column: int  # of the doc's attribute array (`Rules.names`)
    op: str
    value: Any  # an int (EQ), a frozenset of ints (IN, NOT_IN), a compiled regex (REGEX)
    strings: Any = None  # the string store, for REGEX (it searches the attribute's text)


_Check = tuple[int, str, Any, Any]  # a _Test as a tuple (column, op, value, strings): read faster


@dataclass(frozen=True)
class _Pattern:
    rule: int  # the rule's ordinal in the ruler (its match key), which orders the matches
    length: int  # tokens
    checks: tuple[tuple[int, tuple[_Check, ...]], ...]  # (token offset, tests) besides the index key

    def fits(self, rows: Sequence[Sequence[int]], start: int) -> bool:
        """True when the pattern matches the tokens from `start` (whose index key it matched): each
        `_Test`, written out in one loop (this runs for every token of every sentence)."""
        if start + self.length > len(rows):
            return False
        for offset, tests in self.checks:
            row = rows[start + offset]
            for column, op, value, strings in tests:
                found = row[column]
                if op is EQ:
                    if found != value:
                        return False
                elif op is IN:
                    if found not in value:
                        return False
                elif op is NOT_IN:
                    if found in value:
                        return False
                elif not value.search(strings[found]):
                    return False
        return True


class Rules:
    """The rules of one `AttributeRuler`, indexed; call it on a `Doc` as the ruler would be called."""

    def __init__(self, ruler: Any):
        self.vocab = ruler.vocab
        self.names: list[str] = []  # the attributes read, as columns of `Doc.to_array`
        self.attrs = list(ruler.attrs)  # per rule: what it sets (normalised, as the ruler keeps it)
        self.indices = list(ruler.indices)  # per rule: which token of the match it sets
        self.indexed: dict[tuple[int, int], list[_Pattern]] = {}
        self.unindexed: list[_Pattern] = []
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                self._add(rule, pattern, entry["index"])
        self.columns = [IDS[name] for name in self.names]
        self.keyed = sorted({column for column, _ in self.indexed})

    def _column(self, name: str) -> int:
        if name not in self.names:
            self.names.append(name)
        return self.names.index(name)

    def _add(self, rule: int, pattern: list[dict[str, Any]], index: int) -> None:
        if not pattern or not -len(pattern) <= index < len(pattern):
            raise _Unsupported(f"rule {rule}: index {index} outside its pattern")
        tokens = [tuple(self._tests(spec)) for spec in pattern]
        key = next((t for name in _INDEX_ORDER for t in tokens[0] if self._is_key(t, name, EQ)), None)
        if key is None:  # a list of values ({"LOWER": {"IN": [...]}}) is looked up by each of them
            key = next((t for name in _INDEX_ORDER for t in tokens[0] if self._is_key(t, name, IN)), None)
        if key is not None:  # the index tests it: not again
            tokens[0] = tuple(t for t in tokens[0] if t is not key)
        checks = tuple(
            (offset, tuple((t.column, t.op, t.value, t.strings) for t in tests))
            for offset, tests in enumerate(tokens)
            if tests
        )
        compiled = _Pattern(rule, len(tokens), checks)
        if key is None:
            self.unindexed.append(compiled)
        else:
            for value in key.value if key.op is IN else [key.value]:
                self.indexed.setdefault((key.column, value), []).append(compiled)

    def _is_key(self, test: _Test, name: str, op: str) -> bool:
        return test.op is op and self.names[test.column] == name

    def _tests(self, spec: dict[str, Any]) -> Iterable[_Test]:
        for attr, value in spec.items():
            name = "ORTH" if attr.upper() == "TEXT" else attr.upper()
            if name in _FLAG_ATTRS and isinstance(value, bool):
                yield _Test(self._column(name), EQ, int(value))
            elif name in _STRING_ATTRS and isinstance(value, str):
                yield _Test(self._column(name), EQ, self.vocab.strings[value])
            elif name in _STRING_ATTRS and isinstance(value, dict) and _set_predicate(value):
                [(op, words)] = value.items()
                keys = frozenset(self.vocab.strings[w] for w in words)
                yield _Test(self._column(name), IN if op.upper() == "IN" else NOT_IN, keys)
            elif name in _STRING_ATTRS and isinstance(value, dict) and _regex_predicate(value):
                [regex] = value.values()
                yield _Test(self._column(name), REGEX, re.compile(regex), self.vocab.strings)
            else:
                raise _Unsupported(f"token test {attr}={value!r}")

    def matches(self, rows: list[list[int]]) -> list[tuple[int, int, int]]:
        """(rule, start, end) of every match, sorted as the ruler sorts them."""
        found = []
        indexed, unindexed = self.indexed, self.unindexed
        for start, row in enumerate(rows):
            for column in self.keyed:
                for pattern in indexed.get((column, row[column]), ()):
                    if pattern.fits(rows, start):
                        found.append((pattern.rule, start, start + pattern.length))
            for pattern in unindexed:
                if pattern.fits(rows, start):
                    found.append((pattern.rule, start, start + pattern.length))
        found.sort()
        return found

    def __call__(self, doc: Any) -> Any:
        if not len(doc):
            return doc
        rows = doc.to_array(self.columns).reshape(len(doc), len(self.columns)).tolist()
        for rule, start, end in self.matches(rows):
            index = self.indices[rule]
            set_token_attrs(doc[start + index if index >= 0 else end + index], self.attrs[rule])
        return doc


class _Unsupported(ValueError):
    """A rule the index does not read: the ruler then runs as spaCy ships it."""


def _regex_predicate(value: dict[str, Any]) -> bool:
    """{"REGEX": "^n't$"}: the Matcher's `re.search` of the attribute's text."""
    if len(value) != 1:
        return False
    [(op, regex)] = value.items()
    return isinstance(op, str) and op.upper() == "REGEX" and isinstance(regex, str)


def _set_predicate(value: dict[str, Any]) -> bool:
    if len(value) != 1:
        return False
    [(op, words)] = value.items()
    return (
        isinstance(op, str)
        and op.upper() in ("IN", "NOT_IN")
        and isinstance(words, list)
        and all(isinstance(w, str) for w in words)
    )


# by id of the ruler component, with the component (kept, so that its id is never another's); the
# pipelines are loaded once per process (`language.models.load_spacy`) and their rules never change
_RULES: dict[int, tuple[Any, Rules | None]] = {}


def indexed_rules(ruler: Any) -> Rules | None:
    """The ruler's rules indexed (built once per ruler), or None when some rule is not supported."""
    key = id(ruler)
    if key not in _RULES:
        try:
            _RULES[key] = (ruler, Rules(ruler))
        except _Unsupported:
            _RULES[key] = (ruler, None)
    return _RULES[key][1]


def split_at_ruler(nlp: Any, disable: Sequence[str]) -> tuple[list[str], list[Callable[[Any], Any]]] | None:
    """How to run `nlp` with its attribute ruler from the index: (the components to disable in
    `nlp.pipe`: the ruler and all after it, besides `disable`) and (what to call on each document
    after the pipe: the indexed ruler, then the enabled components after it). None when the pipeline
    has no enabled attribute ruler, a rule is not supported, or a model component comes after it
    (a trained component may give other numbers one document at a time than in a batch)."""
    from spacy.pipeline import AttributeRuler, TrainablePipe

    enabled = [(name, proc) for name, proc in nlp.pipeline if name not in disable]
    at = next((i for i, (_, proc) in enumerate(enabled) if isinstance(proc, AttributeRuler)), None)
    if at is None:
        return None
    rules = indexed_rules(enabled[at][1])
    after = enabled[at + 1 :]
    if rules is None or any(isinstance(proc, TrainablePipe) for _, proc in after):
        return None
    off = [*disable, *(name for name, _ in enabled[at:])]
    return off, [rules, *(proc for _, proc in after)]
