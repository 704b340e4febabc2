"""How a name typed in a search box may read: with or without a case ending of some language.

A query has no language, and a name typed in one ("Ławrowem", Polish instrumental; "Герцогом",
Russian) should find the entity the stored articles name in another. `inflection_readings(name)`
gives the name and, for every language with suffix rules in `langdata/<lang>/translit.toml`
(`inflection.suffixes`), the name with each word's case ending replaced as those rules say. Only
the suffix rules: the lemmatisers that `names.strip_inflection` prefers take seconds to load, too
long for a query. (Kept out of `names`, whose source fingerprints the stored name keys.)
"""

from __future__ import annotations

from functools import cache
from typing import Any

from newsgraph import langdata
from newsgraph.entities.names import name_tokens
from newsgraph.entities.translit import RESOURCE


@cache
def inflected_languages() -> tuple[str, ...]:
    """The languages with case endings of names in their data."""
    return tuple(lang for lang in langdata.languages() if _table(lang).get("suffixes"))


@cache
def _table(lang: str) -> dict[str, Any]:
    table: dict[str, Any] = langdata.load_one(lang, RESOURCE).get("inflection", {})
    return table


def strip_suffix(word: str, lang: str) -> str:
    """`word` with the first case ending of `lang` it carries replaced, as `names.strip_inflection`
    does when no lemmatiser knows the word."""
    table = langdata.load(lang, RESOURCE).get("inflection", {})
    lowered = word.casefold()
    min_stem = int(table.get("min_stem", 3))
    for ending, replacement in table.get("suffixes", []):
        if lowered.endswith(ending) and len(word) - len(ending) >= min_stem:
            return str(word[: len(word) - len(ending)] + replacement)
    return word


def inflection_readings(name: str) -> set[str]:
    """`name`, and what it reads as without the case endings of each language with suffix rules
    ("Ławrowem" -> "Ławrow", "Герцогом" -> "Герцог")."""
    readings = {name}
    for lang in inflected_languages():
        tokens = name_tokens(name, lang)
        stripped = [strip_suffix(t, lang) for t in tokens]
        if stripped != tokens:
            readings.add(" ".join(stripped))
    return readings
