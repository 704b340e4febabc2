"""Within-document entity clusters: which mentions of one document name the same thing.

Mentions group when they share a normal form or a stem key ("Theresy May" / "Theresa May"), when a
shorter person name is the end of a longer one ("Blinken" -> "Antony Blinken", "von der Leyen"),
when a lone first name starts exactly one longer name, and when an acronym abbreviates a longer name
or follows it in parentheses ("Organizacja Narodów Zjednoczonych (ONZ)"). Each cluster becomes a
local `Entity` ("L:<k>") carrying what the corpus-wide resolver needs: normal forms, surface
forms, type, script, a transliteration key and the title/role words seen next to its mentions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from anyascii import anyascii

from newsgraph.entities.backends.fallback import is_acronym
from newsgraph.entities.backends.gazetteer import script, stem
from newsgraph.entities.backends.lexicon import Lexicon, lexicon
from newsgraph.model import Entity, Mention

LOCAL_PREFIX = "L:"
TITLE_WINDOW = 4  # words before (or after a comma following) a mention searched for role words
TITLE_GAP = 2  # words that may stand between a title and the name ("госсекретарь США Энтони Блинкен")
TITLE_PHRASE_MAX = 3
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CLAUSE_END = re.compile(r"[.!?;\n]")
_PARENTHESISED = re.compile(r"\s*\(\s*$")


@dataclass
class _Group:
    """The mentions sharing one normal form."""

    words: list[str]
    members: list[int]
    type: str

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(stem(w) for w in self.words)


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster_mentions(
    text: str, mentions: Sequence[Mention], lang: str | None
) -> tuple[list[Mention], dict[str, Entity]]:
    """The mentions (sorted, each with `entity` set to its local cluster id) and the local entities."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    groups = _groups(ordered)
    lex = lexicon(lang)
    union = _Union(len(groups))
    _join_same_stems(groups, union)
    _join_short_forms(groups, union)
    _join_acronyms(text, ordered, groups, union, lex)
    clusters: dict[int, list[int]] = defaultdict(list)
    for gi, group in enumerate(groups):
        clusters[union.find(gi)].extend(group.members)
    entities: dict[str, Entity] = {}
    out = list(ordered)
    for k, members in enumerate(sorted(clusters.values(), key=min)):
        entity = _entity(f"{LOCAL_PREFIX}{k}", text, [ordered[i] for i in sorted(members)], lang, lex)
        entities[entity.id] = entity
        for i in members:
            out[i] = replace(ordered[i], entity=entity.id)
    return out, entities


def _groups(mentions: Sequence[Mention]) -> list[_Group]:
    by_key: dict[str, _Group] = {}
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for i, m in enumerate(mentions):
        normal = m.normal or m.text
        key = normal.casefold()
        group = by_key.setdefault(key, _Group(normal.split(), [], m.type))
        group.members.append(i)
        votes[key][m.type] += m.score
    for key, group in by_key.items():
        group.type = _winner(votes[key])
    return list(by_key.values())


def _join_same_stems(groups: Sequence[_Group], union: _Union) -> None:
    first: dict[tuple[str, ...], int] = {}
    for gi, group in enumerate(groups):
        union.join(first.setdefault(group.stems, gi), gi)


def _join_short_forms(groups: Sequence[_Group], union: _Union) -> None:
    """A person name that ends a longer person name (or, alone, starts exactly one) joins it."""
    people = [gi for gi, g in enumerate(groups) if g.type == "PER" and len(g.words) > 1]
    for gi, group in enumerate(groups):
        if group.type not in ("PER", "MISC") or is_acronym(group.words[0]):
            continue
        n = len(group.stems)
        longer = [pi for pi in people if len(groups[pi].words) > n]
        ends = {union.find(pi) for pi in longer if groups[pi].stems[-n:] == group.stems}
        starts = {union.find(pi) for pi in longer if n == 1 and groups[pi].stems[0] == group.stems[0]}
        if ends or len(starts) == 1:  # a first name shared by two people joins neither
            union.join(gi, _heaviest(groups, union, ends or starts))


def _heaviest(groups: Sequence[_Group], union: _Union, roots: set[int]) -> int:
    weight: Counter[int] = Counter()
    for gi, g in enumerate(groups):
        if union.find(gi) in roots:
            weight[union.find(gi)] += len(g.members)
    return max(sorted(roots), key=lambda r: weight[r])


def _join_acronyms(
    text: str, mentions: Sequence[Mention], groups: Sequence[_Group], union: _Union, lex: Lexicon
) -> None:
    """An acronym joins the longer name it abbreviates, or the name it follows in parentheses."""
    group_of = {i: gi for gi, g in enumerate(groups) for i in g.members}
    by_initials: dict[str, set[int]] = defaultdict(set)
    for gi, g in enumerate(groups):
        if len(g.words) > 1:
            by_initials[_initials(g.words, lex)].add(gi)
    for gi, g in enumerate(groups):
        if len(g.words) == 1 and is_acronym(g.words[0]):
            for other in by_initials.get(g.words[0].casefold(), ()):
                union.join(gi, other)
    for i in range(len(mentions) - 1):
        before, after = mentions[i], mentions[i + 1]
        if (
            is_acronym(after.text)
            and _PARENTHESISED.fullmatch(text[before.end : after.start])
            and text[after.end : after.end + 1] == ")"
        ):
            union.join(group_of[i], group_of[i + 1])


def _initials(words: Sequence[str], lex: Lexicon) -> str:
    return "".join(w[0] for w in words if w.casefold() not in lex.particles and not lex.is_stop(w)).casefold()


def _entity(entity_id: str, text: str, members: Sequence[Mention], lang: str | None, lex: Lexicon) -> Entity:
    votes: dict[str, float] = defaultdict(float)
    for m in members:
        votes[m.type] += m.score
    kind = _winner(votes)
    name = _name(members)
    normals = list(dict.fromkeys(m.normal or m.text for m in members))
    # role words describe people; next to a place or organisation they belong to a person nearby
    titles = [t for m in members for t in titles_near(text, m, lex)] if kind == "PER" else []
    return Entity(
        id=entity_id,
        name=name,
        type=kind,
        aliases=list(dict.fromkeys(m.text for m in members)),
        evidence={
            "normals": normals,
            "lang": lang,
            "script": script(name),
            "titles": list(dict.fromkeys(titles)),
            "count": len(members),
            "translit": anyascii(name).casefold(),
        },
    )


def _winner(votes: dict[str, float]) -> str:
    """The type with the highest summed score (ties: the first voted for)."""
    return max(votes, key=lambda t: votes[t])


def _name(members: Sequence[Mention]) -> str:
    """The most complete name: the normal form with most words (then most frequent), unless lemmatising
    lost its capitals ("wielki Brytania"), where the most frequent surface form of it stands instead."""
    normals = Counter(m.normal or m.text for m in members)
    best = max(normals, key=lambda n: (len(n.split()), normals[n], n))
    surfaces = [m.text for m in members if (m.normal or m.text) == best]
    if best in surfaces or _same_capitals(best, surfaces[0]):
        return best
    return Counter(surfaces).most_common(1)[0][0]


def _same_capitals(normal: str, surface: str) -> bool:
    return [w[:1].isupper() for w in normal.split()] == [w[:1].isupper() for w in surface.split()]


def titles_near(text: str, mention: Mention, lex: Lexicon) -> list[str]:
    """Title and role words just before the mention, or just after it following a comma
    ("госсекретарь США Энтони Блинкен", "Antony Blinken, the secretary of state"): at most
    `TITLE_GAP` words may stand between the title and the name."""
    before = _CLAUSE_END.split(text[max(0, mention.start - 80) : mention.start])[-1].split(",")[-1]
    words = [w.casefold() for w in _WORD.findall(before)][-TITLE_WINDOW:]
    found = [title for _, end, title in _title_phrases(words, lex) if len(words) - end <= TITLE_GAP]
    after = text[mention.end : mention.end + 80].lstrip()
    if after.startswith(","):
        clause = _CLAUSE_END.split(after[1:])[0].split(",")[0]
        words = [w.casefold() for w in _WORD.findall(clause)][:TITLE_WINDOW]
        found += [title for start, _, title in _title_phrases(words, lex) if start <= TITLE_GAP]
    return found


def _title_phrases(words: Sequence[str], lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, title) of the longest title phrase at each position, left to right."""
    out, i = [], 0
    while i < len(words):
        for n in range(min(TITLE_PHRASE_MAX, len(words) - i), 0, -1):
            title = lex.titles.match(" ".join(words[i : i + n]))
            if title:
                out.append((i, i + n, title))
                i += n
                break
        else:
            i += 1
    return out
