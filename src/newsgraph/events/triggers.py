"""Lexicon phrases found in a sentence's tokens: event triggers and mode or context cues.

A token matches a word of a phrase by its lemma or by its text (casefolded), so a lemmatiser's
miss on an inflected form still leaves the surface form to match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.events.lexicon import STOP, Entry, Lexicon, Phrase
from newsgraph.language.syntax import Token

MAX_GAP = 4  # tokens allowed where a phrase has "…"
VERBAL = frozenset({"VERB", "AUX", "ADJ", ""})
NOMINAL = frozenset({"NOUN", "PROPN", "X", ""})


@dataclass(frozen=True)
class Match:
    """Where a phrase matched: positions in the sentence's token list, and the one the event hangs on."""

    entry: Entry
    positions: tuple[int, ...]
    head: int  # position of the head token


def keys(token: Token) -> tuple[str, str]:
    return token.lemma.casefold(), token.text.casefold()


def match_at(phrase: Phrase, tokens: Sequence[Token], k: int) -> tuple[int, ...] | None:
    """Positions of `phrase` matched from token `k` on, or None."""
    positions: list[int] = []
    position = k
    for index, words in enumerate(phrase.parts):
        starts = [k] if index == 0 else range(position, min(position + MAX_GAP + 1, len(tokens)))
        found = next((s for s in starts if _words_at(words, tokens, s)), None)
        if found is None:
            return None
        positions.extend(range(found, found + len(words)))
        position = found + len(words)
    return tuple(positions)


def _words_at(words: tuple[str, ...], tokens: Sequence[Token], start: int) -> bool:
    return start + len(words) <= len(tokens) and all(
        word in keys(tokens[start + j]) for j, word in enumerate(words)
    )


def head_position(tokens: Sequence[Token], positions: tuple[int, ...]) -> int:
    """The matched token whose syntactic head lies outside the match, or that is a root (the first
    one without a parse)."""
    indexes = {tokens[p].i for p in positions}
    for p in positions:
        if tokens[p].head not in indexes or tokens[p].head == tokens[p].i:
            return p
    return positions[0]


def find_triggers(tokens: Sequence[Token], lex: Lexicon) -> list[Match]:
    """The trigger matches of one sentence: longest first, a token in one match only (except the
    same phrase listed under several types, which gives one match per type)."""
    candidates: list[Match] = []
    for k, token in enumerate(tokens):
        for word in set(keys(token)):
            compound = compound_entries(word, lex)
            for entry in (*lex.entries.get(word, ()), *compound):
                positions = (k,) if entry in compound else match_at(entry.phrase, tokens, k)
                if positions is None:
                    continue
                head = head_position(tokens, positions)
                if entry.type == STOP or tokens[head].pos in (NOMINAL if entry.noun else VERBAL):
                    candidates.append(Match(entry, positions, head))
    candidates.sort(key=lambda m: (-m.entry.phrase.size, m.positions[0], m.entry.type))
    kept: list[Match] = []
    taken: dict[int, tuple[int, ...]] = {}
    for match in candidates:
        owners = {taken.get(p) for p in match.positions} - {None}
        if owners and owners != {match.positions}:
            continue
        if any(m.positions == match.positions and m.entry.type == match.entry.type for m in kept):
            continue
        kept.append(match)
        taken.update({p: match.positions for p in match.positions})
    return sorted((m for m in kept if m.entry.type != STOP), key=lambda m: m.positions[0])


def compound_entries(word: str, lex: Lexicon) -> tuple[Entry, ...]:
    """The one-word noun triggers that end a compound ("Antrittsbesuch", "Telefongespräch"), in a
    language that writes compounds as one word (`compounds` in its events.toml)."""
    if not lex.compounds or word in lex.entries:
        return ()
    return next(
        (found for tail, found in lex.compound_tails if len(word) > len(tail) + 2 and word.endswith(tail)), ()
    )


def find_cues(tokens: Sequence[Token], cues: Sequence[Phrase]) -> list[tuple[Phrase, tuple[int, ...]]]:
    """Every occurrence of any of `cues` in the tokens: by token, then in the order of `cues`.

    Each token is tried only against the cues whose first word is its lemma or its text (found
    through an index of the cues by first word), not against every cue."""
    by_first: dict[str, list[int]] = {}
    for n, cue in enumerate(cues):
        by_first.setdefault(cue.first, []).append(n)
    found = []
    for k, token in enumerate(tokens):
        lemma, text = keys(token)
        candidates = by_first.get(lemma, [])
        if text != lemma and text in by_first:
            candidates = sorted({*candidates, *by_first[text]})
        for n in candidates:
            positions = match_at(cues[n], tokens, k)
            if positions is not None:
                found.append((cues[n], positions))
    return found
