"""The knowledge base: known entities, their names in many languages and scripts, and dated roles.

A knowledge base is one or more SQLite files (the read-only default one shipped in
`newsgraph/kb/data/`, then the user's imports, which overlay it: same id = same entity, names and
roles add up). `KBWriter` writes them (the default build and the importers use it); the phonetic
keys of every name are computed when written, so looking a name up is one indexed query.

    kb = KnowledgeBase.default()
    kb.candidates("Блинкена", "ru", type="PER")[0].entity.id   # "E:antony-blinken"
    kb.holders("foreign_minister", "US", date(2023, 11, 1))    # [Antony Blinken]
    kb.role_phrase("the Israeli Prime Minister", "en")         # ("head_of_government", "E:israel")
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from anyascii import anyascii

from newsgraph import langdata
from newsgraph.entities import names, translit
from newsgraph.entities.names import (
    EXACT,
    FUZZY,
    SHORT_FORM,
    TRANSLIT,
    NameMatch,
    name_keys,
    name_length,
    name_similarity,
    normal_text,
)
from newsgraph.model import Entity

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
DEFAULT_KB_FILE = "default_kb.sqlite"
USER_KB_ENV = "NEWSGRAPH_USER_KB"
TYPES = ("PER", "ORG", "LOC", "MISC")
# An entity "kind" (attrs["kind"]) of the entities that roles belong to and role phrases name.
POLITY_KINDS = ("country", "organisation")
# Offices in the order a title held in two offices at once ("president" of the US) resolves to.
OFFICE_PREFERENCE = ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")
# Candidates: exact name hits first, then by score; among equal scores, by kind of match.
KIND_RANK = {EXACT: 0, TRANSLIT: 1, SHORT_FORM: 2, FUZZY: 3}
# A name that contains a place's or organisation's name and more, matched to it: what is left.
CONTAINING_NAME_FACTOR = 0.6
# Rows fetched for one blocking key set: bounds the work on very common skeletons.
MAX_BLOCK = 60  # aliases compared with a name that has no exact match

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, wikidata TEXT,
    prior REAL NOT NULL DEFAULT 0, attrs TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS entities_wikidata ON entities(wikidata);
CREATE TABLE IF NOT EXISTS aliases (
    id INTEGER PRIMARY KEY, entity TEXT NOT NULL, name TEXT NOT NULL, langs TEXT NOT NULL,
    kind TEXT NOT NULL, norm TEXT NOT NULL, UNIQUE (entity, name));
CREATE INDEX IF NOT EXISTS aliases_norm ON aliases(norm);
CREATE INDEX IF NOT EXISTS aliases_entity ON aliases(entity);
CREATE TABLE IF NOT EXISTS name_keys (key TEXT NOT NULL, alias INTEGER NOT NULL,
    PRIMARY KEY (key, alias)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS roles (
    entity TEXT NOT NULL, office TEXT NOT NULL, title TEXT, country TEXT, start TEXT, end TEXT,
    source TEXT NOT NULL, UNIQUE (entity, office, country, start));
CREATE INDEX IF NOT EXISTS roles_office ON roles(office, country);
"""


# ---------------------------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Role:
    """An office held from `start` to `end` (both inclusive; None = unknown / still held)."""

    office: str  # head_of_state, head_of_government, foreign_minister, defence_minister, ...
    country: str | None  # entity id of the country or organisation
    start: date | None
    end: date | None
    source: str
    title: str | None = None  # how the office is called: president, prime_minister, chancellor, ...

    def held_on(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Alias:
    name: str
    langs: tuple[str, ...] = ()  # languages that use this name; () = any
    kind: str = "name"  # name, acronym, adjective

    @property
    def lang(self) -> str | None:
        return self.langs[0] if self.langs else None


@dataclass
class KBEntity:
    id: str
    type: str
    name: str
    wikidata: str | None = None
    aliases: list[Alias] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    prior: float = 0.0  # prominence in [0, 1], for ordering equally good matches

    def label(self, lang: str | None) -> str:
        """The entity's name in `lang` (its first name there), else its main name."""
        for alias in self.aliases:
            if alias.kind == "name" and lang in alias.langs:
                return alias.name
        return self.name

    def to_entity(self) -> Entity:
        """The document-model view (`newsgraph.model.Entity`) of this entity."""
        aliases = [
            n for n in dict.fromkeys(a.name for a in self.aliases if a.kind != "adjective") if n != self.name
        ]
        return Entity(id=self.id, name=self.name, type=self.type, aliases=aliases, wikidata=self.wikidata)


@dataclass(frozen=True)
class Candidate:
    entity: KBEntity
    score: float
    kind: str  # exact, translit, short_form, fuzzy (see newsgraph.entities.names)
    alias: str  # the name of the entity that matched


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: the readable part of an entity id."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


def entity_id(name: str) -> str:
    return "E:" + slug(name)


@cache
def keys_version() -> str:
    """Fingerprint of the name-key rules (their data and code): stored keys hold while it is unchanged."""
    digest = hashlib.sha256(json.dumps(langdata.load_all(names.RESOURCE), sort_keys=True).encode())
    for module in (names, translit):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=65536)
def _nominative(token: str, lang: str | None) -> str:
    """`names.strip_inflection`, once per token and process: every look-up of a name asks for its
    tokens' nominatives, and for Russian that is a pymorphy analysis and an inflection each time."""
    return names.strip_inflection(token, lang)


def default_kb_path() -> Path:
    return Path(str(resources.files("newsgraph.kb") / "data" / DEFAULT_KB_FILE))


def user_kb_path() -> Path:
    """Where imports go: `$NEWSGRAPH_USER_KB`, else `$XDG_DATA_HOME/newsgraph/user_kb.sqlite`."""
    if os.environ.get(USER_KB_ENV):
        return Path(os.environ[USER_KB_ENV])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "newsgraph" / "user_kb.sqlite"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _langs(text: str) -> tuple[str, ...]:
    return tuple(text.split()) if text else ()


# ---------------------------------------------------------------------------------------------- reading
class _Source:
    """One read-only SQLite file, reopened after a fork (a connection must not cross processes)."""

    def __init__(self, path: Path, immutable: bool):
        self.path = path
        self.uri = f"file:{path}?mode=ro" + ("&immutable=1" if immutable else "")
        self._pid = -1
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self._conn = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
            stored = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
            if stored.get("keys_version") != keys_version():
                log.warning(
                    "%s was built with other name-key rules: rebuild it (scripts/build_kb.py) or "
                    "re-import; cross-script lookups may miss until then",
                    self.path,
                )
        return self._conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()


class KnowledgeBase:
    """Entities from one or more KB files; later files overlay earlier ones."""

    def __init__(self, paths: Sequence[str | Path], immutable: Sequence[bool] | None = None):
        flags = list(immutable) if immutable is not None else [False] * len(paths)
        self.sources = [_Source(Path(p), flag) for p, flag in zip(paths, flags, strict=True)]
        self._entities: dict[str, KBEntity | None] = {}
        self._polities: dict[str, KBEntity | None] = {}
        self._phrases: dict[str | None, _RolePhrases] = {}

    @classmethod
    def default(cls) -> KnowledgeBase:
        """The shipped default KB overlaid by the user KB when there is one (one per process)."""
        return _default_kb()

    @classmethod
    def reload_default(cls) -> KnowledgeBase:
        """The default KB read afresh: after an import into the user KB, this process sees it."""
        _default_kb.cache_clear()
        return _default_kb()

    # ------------------------------------------------------------------ entities
    def typed_names(self) -> list[tuple[str, str]]:
        """(name, type) of every alias of every entity: a gazetteer for scripts where no capital
        letter marks a name (`newsgraph.entities.backends.caseless`)."""
        out: list[tuple[str, str]] = []
        for source in self.sources:
            out.extend(
                (str(name), str(etype))
                for name, etype in source.rows(
                    "SELECT a.name, e.type FROM aliases a JOIN entities e ON e.id = a.entity"
                )
            )
        return out

    def get(self, entity_id: str) -> KBEntity | None:
        if entity_id not in self._entities:
            self._entities[entity_id] = self._load(entity_id)
        return self._entities[entity_id]

    def _load(self, entity_id: str) -> KBEntity | None:
        merged: KBEntity | None = None
        for source in self.sources:
            row = source.rows(
                "SELECT type, name, wikidata, prior, attrs FROM entities WHERE id = ?", (entity_id,)
            )
            if not row:
                continue
            etype, name, wikidata, prior, attrs = row[0]
            aliases = [
                Alias(n, _langs(ls), k)
                for n, ls, k in source.rows(
                    "SELECT name, langs, kind FROM aliases WHERE entity = ? ORDER BY id", (entity_id,)
                )
            ]
            roles = [
                Role(o, c, _date(s), _date(e), src, t)
                for o, t, c, s, e, src in source.rows(
                    "SELECT office, title, country, start, end, source FROM roles WHERE entity = ? "
                    "ORDER BY start",
                    (entity_id,),
                )
            ]
            here = KBEntity(entity_id, etype, name, wikidata, aliases, roles, json.loads(attrs), prior)
            merged = here if merged is None else overlay(merged, here)
        return merged

    def by_wikidata(self, qid: str) -> KBEntity | None:
        for source in reversed(self.sources):
            row = source.rows("SELECT id FROM entities WHERE wikidata = ?", (qid,))
            if row:
                return self.get(row[0][0])
        return None

    def country(self, ref: str) -> KBEntity | None:
        """A country or organisation by entity id, ISO 3166 code ("US", "USA") or name in any language."""
        if ref not in self._polities:
            self._polities[ref] = self._find_polity(ref)
        return self._polities[ref]

    def _find_polity(self, ref: str) -> KBEntity | None:
        if ref.startswith("E:"):
            return self.get(ref)
        code = ref.upper()
        for source in self.sources:
            row = source.rows(
                "SELECT id FROM entities WHERE json_extract(attrs, '$.iso2') = ? "
                "OR json_extract(attrs, '$.iso3') = ?",
                (code, code),
            )
            if row:
                return self.get(row[0][0])
        for candidate in self.candidates(ref, None, type=None, limit=5):
            if candidate.kind == EXACT and candidate.entity.attrs.get("kind") in POLITY_KINDS:
                return candidate.entity
        return None

    def stats(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for source in self.sources:
            for table in ("entities", "aliases", "roles"):
                counts[table] = counts.get(table, 0) + source.rows(f"SELECT count(*) FROM {table}")[0][0]
        return counts

    # ------------------------------------------------------------------ names
    def candidates(
        self,
        name: str,
        lang: str | None = None,
        type: str | None = None,
        limit: int = 10,
        min_score: float = 0.5,
    ) -> list[Candidate]:
        """Entities a name may refer to, best first: exact name hits, then by similarity and prominence."""
        norms = self._query_norms(name, lang)
        keys = sorted(name_keys(name, lang))
        length = name_length(name, lang)
        best: dict[str, tuple[NameMatch, str]] = {}
        for source in self.sources:
            for eid, etype, alias, langs, norm in self._block(source, norms, keys, type):
                match = (
                    NameMatch(1.0, EXACT)
                    if norm in norms
                    else _kb_match(name, length, alias, lang, _first(langs), etype)
                )
                if match.score >= min_score and (eid not in best or _better(match, best[eid][0])):
                    best[eid] = (match, alias)
        found = []
        for eid, (match, alias) in best.items():
            entity = self.get(eid)
            if entity is not None:
                found.append(Candidate(entity, match.score, match.kind, alias))
        found.sort(key=lambda c: (c.kind != EXACT, -c.score, KIND_RANK[c.kind], -c.entity.prior, c.entity.id))
        return found[:limit]

    @staticmethod
    def _query_norms(name: str, lang: str | None) -> set[str]:
        """The name's normal form, and that of its tokens' nominatives ("Блинкена" -> "блинкен")."""
        tokens = names.name_tokens(name, lang)
        lemmas = normal_text(" ".join(_nominative(t, lang) for t in tokens), lang)
        return {normal_text(name, lang), lemmas} - {""}

    @staticmethod
    def _block(
        source: _Source, norms: set[str], keys: list[str], type: str | None
    ) -> set[tuple[str, str, str, str, str]]:
        """Aliases with one of the normal forms or sharing a key: (entity, type, name, langs, norm)."""
        type_clause = " AND e.type = ?" if type else ""
        type_param = [type] if type else []
        select = "SELECT DISTINCT a.entity, e.type, a.name, a.langs, a.norm FROM "
        rows = source.rows(
            f"{select} aliases a JOIN entities e ON e.id = a.entity "
            f"WHERE a.norm IN ({','.join('?' * len(norms))}){type_clause}",
            [*norms, *type_param],
        )
        if keys and not rows:  # an exact name needs no spelling variants (the costly part)
            rows += source.rows(
                # the aliases sharing most keys first: a common key ("mar") must not flood the block
                f"{select} name_keys k JOIN aliases a ON a.id = k.alias JOIN entities e ON e.id = a.entity "
                f"WHERE k.key IN ({','.join('?' * len(keys))}){type_clause} GROUP BY a.id "
                f"ORDER BY count(*) DESC LIMIT {MAX_BLOCK}",
                [*keys, *type_param],
            )
        return set(rows)

    # ------------------------------------------------------------------ roles
    def holders(self, office: str, country: str | None, on: date) -> list[KBEntity]:
        """Who held `office` of `country` (id, ISO code or name; None = any) on a date, latest first."""
        country_id: str | None = None
        if country is not None:
            polity = self.country(country)
            if polity is None:
                return []
            country_id = polity.id
        day = on.isoformat()
        rows: list[tuple[str, str | None]] = []
        for source in self.sources:
            rows += source.rows(
                "SELECT entity, start FROM roles WHERE office = ? AND (? IS NULL OR country = ?) "
                "AND (start IS NULL OR start <= ?) AND (end IS NULL OR end >= ?)",
                (office, country_id, country_id, day, day),
            )
        rows.sort(key=lambda r: r[1] or "", reverse=True)
        ordered = dict.fromkeys(eid for eid, _ in rows)
        return [entity for eid in ordered if (entity := self.get(eid)) is not None]

    def role_phrase(self, text: str, lang: str | None) -> tuple[str, str | None] | None:
        """The office and country (entity id or None) a role phrase names, from `langdata/<lang>/roles.toml`.

        "secrétaire d'État américain" -> ("foreign_minister", "E:united-states");
        "президент Израиля" -> ("head_of_state", "E:israel"); None when no office phrase is found.
        """
        return self._role_phrases(lang).resolve(text)

    def find_roles(self, text: str, start: int, end: int, lang: str | None) -> list[RoleMention]:
        """Role phrases in `text[start:end]` with their office and country, as spans into `text`:
        "le secrétaire d'État américain" -> foreign_minister of the United States."""
        return self._role_phrases(lang).find(text, start, end)

    def _role_phrases(self, lang: str | None) -> _RolePhrases:
        if lang not in self._phrases:
            self._phrases[lang] = _RolePhrases(self, lang)
        return self._phrases[lang]

    def polity_names(self, lang: str | None) -> list[tuple[str, str]]:
        """(name, entity id) of every country and organisation name usable in `lang` (or in any)."""
        out: list[tuple[str, str]] = []
        kinds = ",".join("?" * len(POLITY_KINDS))
        for source in self.sources:
            for name, langs, eid in source.rows(
                f"SELECT a.name, a.langs, a.entity FROM aliases a JOIN entities e ON e.id = a.entity "
                f"WHERE json_extract(e.attrs, '$.kind') IN ({kinds})",
                POLITY_KINDS,
            ):
                if not langs or lang in _langs(langs):
                    out.append((name, eid))
        return out

    def title_office(self, title: str, country: str) -> str | None:
        """The office the holders of `title` in `country` hold ("president" of Iran: head of government)."""
        offices: set[str] = set()
        for source in self.sources:
            offices |= {
                o
                for (o,) in source.rows(
                    "SELECT DISTINCT office FROM roles WHERE title = ? AND country = ?", (title, country)
                )
            }
        ranked = sorted(offices, key=lambda o: OFFICE_PREFERENCE.index(o) if o in OFFICE_PREFERENCE else 99)
        return ranked[0] if ranked else None


def _kb_match(
    name: str, length: int, alias: str, lang: str | None, alias_lang: str | None, etype: str
) -> NameMatch:
    """`name_similarity`, except that a name containing more than a known name of a place or an
    organisation names something else ("Supreme Court of Pakistan", "Tel Aviv University"), where
    a person's fuller name (with a middle name or patronymic) is still that person."""
    match = name_similarity(name, alias, lang, alias_lang)
    if match.kind == SHORT_FORM and etype != "PER" and length > name_length(alias, alias_lang):
        return NameMatch(round(match.score * CONTAINING_NAME_FACTOR, 4), FUZZY)
    return match


def _better(a: NameMatch, b: NameMatch) -> bool:
    return (a.score, -KIND_RANK[a.kind]) > (b.score, -KIND_RANK[b.kind])


def _first(langs: str) -> str | None:
    return langs.split(" ", 1)[0] if langs else None


def overlay(base: KBEntity, over: KBEntity) -> KBEntity:
    """One entity from two records of it: `over`'s fields win, names, roles and attributes add up."""
    aliases = list(base.aliases) + [a for a in over.aliases if a not in base.aliases]
    roles = list(base.roles) + [r for r in over.roles if r not in base.roles]
    return replace(
        over,
        wikidata=over.wikidata or base.wikidata,
        aliases=aliases,
        roles=roles,
        attrs={**base.attrs, **over.attrs},
        prior=max(base.prior, over.prior),
    )


@cache
def _default_kb() -> KnowledgeBase:
    paths: list[Path] = [default_kb_path()]
    immutable = [True]
    if user_kb_path().is_file():
        paths.append(user_kb_path())
        immutable.append(False)
    return KnowledgeBase(paths, immutable)


# ---------------------------------------------------------------------------------------------- role phrases
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class RoleMention:
    """A role phrase in a text: `[start, end)`, the office and the country's entity id (or None), and
    the title the roles data gives where one office has several ("chancellor", "prime_minister")."""

    start: int
    end: int
    office: str
    country: str | None
    title: str | None = None


ROLE_COUNTRY_WINDOW = 3  # words after an office phrase searched for its country


@lru_cache(maxsize=262_144)
def _word_lemma(word: str, lang: str | None, lemmatiser: str) -> str:
    """`names.word_lemma`, once per form and process: role phrases are looked for in every word of
    every article, and a dictionary look-up (pymorphy for Russian) costs more than the search."""
    return names.word_lemma(word, lang, lemmatiser)


class _RolePhrases:
    """One language's role phrases and country words, lemmatised once, matched against phrases."""

    def __init__(self, kb: KnowledgeBase, lang: str | None):
        self.kb = kb
        self.lang = lang
        table: dict[str, Any] = langdata.load(lang, "roles")
        self.lemmatiser = str(table.get("lemmatiser", ""))
        self.roles = [
            (self._lemmas(phrase), entry)
            for entry in table.get("role", [])
            for phrase in entry.get("phrases", [])
        ]
        # the longest phrase first: "vice-président" before "président"
        self.roles.sort(key=lambda item: -len(item[0]))
        # the same phrases by their first word, in that order: a word is compared only with the
        # phrases it can start (one dictionary look-up per word, not one comparison per phrase)
        self.starting: dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]] = {}
        for phrase, entry in self.roles:
            if phrase:
                self.starting.setdefault(phrase[0], []).append((phrase, entry))

    @cached_property
    def polities(self) -> list[tuple[tuple[str, ...], str]]:
        seen: set[tuple[tuple[str, ...], str]] = set()
        for name, eid in self.kb.polity_names(self.lang):
            # an acronym is not a word to lemmatise ("ES" is not a form of "être")
            lemmas = (name.casefold(),) if name.isupper() or len(name) <= 3 else self._lemmas(name)
            if lemmas:
                seen.add((lemmas, eid))
        return sorted(seen, key=lambda item: (-len(item[0]), item[1]))

    def _lemmas(self, text: str) -> tuple[str, ...]:
        return tuple(
            names.word_lemma(w, self.lang, self.lemmatiser) for w in _WORD.findall(text.replace("’", "'"))
        )

    def find(self, text: str, start: int, end: int) -> list[RoleMention]:
        # apostrophes are not word characters, so the words are the same whichever one is written
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]
        lemmas = [_word_lemma(w, self.lang, self.lemmatiser) for _, _, w in words]
        found, i = [], 0
        while i < len(words):
            candidates = self.starting.get(lemmas[i], ())
            hit = next(((p, e) for p, e in candidates if tuple(lemmas[i : i + len(p)]) == p), None)
            if hit is None:
                i += 1
                continue
            phrase, entry = hit
            first, last = i, i + len(phrase) - 1
            country = None
            # the country next to the office: "président israélien", "Israeli Prime Minister",
            # "президент Израиля", "secrétaire d'État américain"
            for lo, hi in ((last + 1, last + 1 + ROLE_COUNTRY_WINDOW), (max(0, first - 2), first)):
                nearest = None  # (distance from the office phrase, position, length, entity id)
                for at, poly, eid in self._polities_in(lemmas, lo, hi):
                    # a one- or two-letter country word counts only in capitals ("US", "ЕС")
                    if len("".join(poly)) > 2 or words[at][2].isupper():
                        distance = at - last if lo > last else first - (at + len(poly))
                        if nearest is None or (distance, -len(poly)) < (nearest[0], -nearest[2]):
                            nearest = (distance, at, len(poly), eid)
                if nearest is not None:
                    _, at, length, country = nearest
                    first, last = min(first, at), max(last, at + length - 1)
                    break
            office, country_id = self._office(entry, country)
            title = str(entry["title"]) if entry.get("title") else None
            found.append(RoleMention(words[first][0], words[last][1], office, country_id, title))
            i = last + 1
        return found

    @cached_property
    def polities_starting(self) -> dict[str, list[tuple[int, tuple[str, ...], str]]]:
        """`polities` by their first word: (rank in `polities`, lemmas, entity id)."""
        index: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        for rank, (poly, eid) in enumerate(self.polities):
            index.setdefault(poly[0], []).append((rank, poly, eid))
        return index

    def _polities_in(self, lemmas: Sequence[str], lo: int, hi: int) -> list[tuple[int, tuple[str, ...], str]]:
        """(position, lemmas, entity id) of the first place of each polity name inside `lemmas[lo:hi]`,
        in the order of `polities` (whose first one wins a tie). A window's words are looked up by
        first word: a role phrase used to compare every polity name (hundreds) with its window."""
        hi = min(hi, len(lemmas))
        first_at: dict[int, tuple[int, tuple[str, ...], str]] = {}
        for at in range(lo, hi):
            for rank, poly, eid in self.polities_starting.get(lemmas[at], ()):
                if (
                    rank not in first_at
                    and at + len(poly) <= hi
                    and tuple(lemmas[at : at + len(poly)]) == poly
                ):
                    first_at[rank] = (at, poly, eid)
        return [first_at[rank] for rank in sorted(first_at)]

    def resolve(self, text: str) -> tuple[str, str | None] | None:
        words = list(self._lemmas(text))
        country_id, rest = self._take_country(words)
        for phrase, entry in self.roles:
            if _contains(rest, phrase):
                return self._office(entry, country_id)
        return None

    def _take_country(self, words: list[str]) -> tuple[str | None, list[str]]:
        for lemmas, eid in self.polities:
            at = _find(words, lemmas)
            if at >= 0:
                return eid, words[:at] + words[at + len(lemmas) :]
        return None, words

    def _office(self, entry: dict[str, Any], country_id: str | None) -> tuple[str, str | None]:
        if country_id is None and entry.get("country"):
            polity = self.kb.country(str(entry["country"]))
            country_id = polity.id if polity else None
        office = str(entry["office"])
        if entry.get("title") and country_id:
            office = self.kb.title_office(str(entry["title"]), country_id) or office
        return office, country_id


def _find(words: Sequence[str], phrase: Sequence[str]) -> int:
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if tuple(words[i : i + n]) == tuple(phrase):
            return i
    return -1


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    return bool(phrase) and _find(words, phrase) >= 0


# ---------------------------------------------------------------------------------------------- writing
class KBWriter:
    """Adds entities to a KB file (created when missing); an entity added twice gains names and roles."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path)
        self.conn.executescript(_SCHEMA)
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('keys_version', ?)", (keys_version(),))

    def __enter__(self) -> KBWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.conn.commit()
        self.conn.close()

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def id_for_wikidata(self, qid: str) -> str | None:
        row = self.conn.execute("SELECT id FROM entities WHERE wikidata = ?", (qid,)).fetchone()
        return str(row[0]) if row else None

    def has(self, entity_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None

    def add(self, entity: KBEntity) -> None:
        if entity.type not in TYPES:
            raise ValueError(f"{entity.id}: type {entity.type!r} is not one of {TYPES}")
        row = self.conn.execute("SELECT attrs, prior FROM entities WHERE id = ?", (entity.id,)).fetchone()
        attrs = {**json.loads(row[0]), **entity.attrs} if row else entity.attrs
        prior = max(row[1], entity.prior) if row else entity.prior
        self.conn.execute(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "type = excluded.type, name = excluded.name, wikidata = coalesce(excluded.wikidata, wikidata), "
            "prior = excluded.prior, attrs = excluded.attrs",
            (
                entity.id,
                entity.type,
                entity.name,
                entity.wikidata,
                prior,
                json.dumps(attrs, ensure_ascii=False),
            ),
        )
        self.add_aliases(entity.id, [Alias(entity.name), *entity.aliases])
        self.conn.executemany(
            "INSERT OR IGNORE INTO roles VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    entity.id,
                    r.office,
                    r.title,
                    r.country,
                    r.start and r.start.isoformat(),
                    r.end and r.end.isoformat(),
                    r.source,
                )
                for r in entity.roles
            ],
        )

    def add_aliases(self, entity_id: str, aliases: Iterable[Alias]) -> None:
        for alias in aliases:
            name = " ".join(alias.name.split())
            if not name:
                continue
            row = self.conn.execute(
                "SELECT id, langs FROM aliases WHERE entity = ? AND name = ?", (entity_id, name)
            ).fetchone()
            if row is None:
                cur = self.conn.execute(
                    "INSERT INTO aliases (entity, name, langs, kind, norm) VALUES (?, ?, ?, ?, ?)",
                    (entity_id, name, " ".join(alias.langs), alias.kind, normal_text(name, alias.lang)),
                )
                self.conn.executemany(
                    "INSERT OR IGNORE INTO name_keys VALUES (?, ?)",
                    [(k, cur.lastrowid) for k in name_keys(name, alias.lang)],
                )
            elif row[1] and alias.langs:  # a name used in one more language
                merged = list(dict.fromkeys([*_langs(row[1]), *alias.langs]))
                self.conn.execute("UPDATE aliases SET langs = ? WHERE id = ?", (" ".join(merged), row[0]))
            elif row[1]:  # now known to be used in any language
                self.conn.execute("UPDATE aliases SET langs = '' WHERE id = ?", (row[0],))

    def compact(self) -> None:
        """Commit and shrink the file (for files that are shipped)."""
        self.conn.commit()
        self.conn.execute("VACUUM")
