"""The publication date in an article's header ("15:031/11/2023, mercredi", "1 ноября 2023 г., 12:40").

Scraped pages carry the date near the top, often glued to a time ("15:03" + "1/11/2023") and
wrapped in furniture ("Publié le", "MAJ:", a weekday). A *dateline* is a header line that is such a
date plus at most a few other words (a place, a byline), never a sentence that happens to hold a
date. Words come from `langdata/<lang>/dateline.toml`; English ones are always added because
English web furniture appears on every site. All-numeric dates follow the language's day-month
`order` unless a field above 12 decides it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from newsgraph import langdata
from newsgraph.ingest.layout import lines
from newsgraph.model import DateValue, Span

HEADER_LINES = 15  # the date of a scraped article sits above its first paragraphs
FOOTER_LINES = 5  # ... or, with a publication cue, under its last ones
MAX_OTHER_WORDS = 3  # "Paris, le", "By Jane Doe |" fit; a sentence around a date does not
MAX_NAME_WORDS = 8  # ... and a byline of capitalised names: "By Jane Doe and John Roe, Reuters |"
MAX_LOWER_WORDS_WITH_NAMES = 1
FALLBACK_LANG = "en"
_WORD = re.compile(r"[^\W\d_]+")
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


@dataclass(frozen=True)
class Dateline:
    """A header line read as a date: the whole line, the date text in it, and the date."""

    line: Span
    evidence: Span
    value: str
    precision: str
    updated: bool  # an update stamp ("MAJ:", "Updated"), not the publication stamp
    bare: bool  # nothing but the date and its furniture: no place or name ("LONDON 1996-08-30" is not bare)
    index: int = 0  # the line's place among the text's non-empty lines
    cued: bool = False  # introduced by a publication cue ("Publié le", "Опубликовано")


@dataclass(frozen=True)
class _Reader:
    order: str
    months: dict[str, int]
    date: re.Pattern[str]
    furniture: re.Pattern[str]  # words a dateline may carry besides its date
    updated: re.Pattern[str]
    published: re.Pattern[str]
    embedded: re.Pattern[str]  # lines quoting another page's date, such as an embedded post's signature


def find_datelines(text: str, lang: str | None) -> list[Dateline]:
    """The datelines among the first `HEADER_LINES` non-empty lines, and cued ones among the last, in order.

    Some sites print "Published 17.10.2022" under the article instead of above it; a bare date down
    there is more often a related link's, so the foot only counts with a publication cue.
    """
    reader = _reader(lang)
    spans = lines(text)
    found = []
    for index, (start, end) in enumerate(spans):
        head = index < HEADER_LINES
        if not head and index < len(spans) - FOOTER_LINES:
            continue
        dateline = _read_line(text, start, end, reader, index)
        if dateline is not None and (head or dateline.cued):
            found.append(dateline)
    return found


def starts_with_update_cue(line: str, lang: str | None) -> bool:
    """True when the line opens with an update cue of `lang` or English ("Güncelleme", "Updated")."""
    found = _reader(lang).updated.match(line.lstrip(" \t-–—•*("))
    return found is not None


def body_dates(text: str, lang: str | None) -> list[tuple[Span, str]]:
    """Every full date written anywhere in the text (span, ISO day): what the article itself talks about."""
    reader = _reader(lang)
    out = []
    for match in reader.date.finditer(text):
        parsed = _parse(match, reader)
        if parsed is not None:
            out.append((match.span(), parsed[0][:10]))
    return out


def find_dateline(text: str, lang: str | None) -> DateValue | None:
    """The publication date from the header: the first publication stamp, else the first update stamp."""
    return pick_published(find_datelines(text, lang))


def pick_published(datelines: Iterable[Dateline]) -> DateValue | None:
    """The first publication stamp wins; an update stamp serves only when it is the only date."""
    ordered = sorted(datelines, key=lambda d: (d.updated, d.line))
    if not ordered:
        return None
    best = ordered[0]
    return DateValue(best.value, best.precision, best.evidence, origin="text")


# ---------------------------------------------------------------------------------------- one line
def _read_line(text: str, start: int, end: int, reader: _Reader, index: int = 0) -> Dateline | None:
    line = text[start:end]
    if reader.embedded.search(line):
        return None
    for match in reader.date.finditer(line):
        parsed = _parse(match, reader)
        if parsed is None:
            continue
        rest = line[: match.start()] + " " + line[match.end() :]
        others = _WORD.findall(reader.furniture.sub(" ", rest))
        other_words = len(others)
        if not _header_words(others):
            return None
        updated = reader.updated.search(line[: match.start()]) is not None
        cued = not updated and reader.published.search(line[: match.start()]) is not None
        evidence = (start + match.start(), start + match.end())
        return Dateline(
            (start, end), evidence, *parsed, updated=updated, bare=other_words == 0, index=index, cued=cued
        )
    return None


def _header_words(words: list[str]) -> bool:
    """A few words of any kind ("Paris, le"), or a byline's names ("By Jane Doe, Reuters |"), not a clause.

    A sentence around a date has lower-case words ("talks began in Geneva on"); names and agencies
    are capitalised (scripts without case count as lower case, so they keep the strict limit).
    """
    if len(words) <= MAX_OTHER_WORDS:
        return True
    lower = sum(not w[:1].isupper() for w in words)
    return len(words) <= MAX_NAME_WORDS and lower <= MAX_LOWER_WORDS_WITH_NAMES


def _parse(match: re.Match[str], reader: _Reader) -> tuple[str, str] | None:
    g = match.groupdict()
    if g["iso_y"]:
        year, month, day = int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"])
    elif g["num_a"]:
        year = _full_year(g["num_y"])
        day, month = _day_month(int(g["num_a"]), int(g["num_b"]), reader.order)
    elif g["dmy_d"]:
        year, month, day = int(g["dmy_y"]), reader.months[_month_key(g["dmy_m"])], int(g["dmy_d"])
    else:
        year, month, day = int(g["mdy_y"]), reader.months[_month_key(g["mdy_m"])], int(g["mdy_d"])
    clock = _clock(g, "pre") or _clock(g, "post")
    hour, minute = clock if clock else (0, 0)
    try:
        when = datetime(year, month, day, hour, minute)
    except ValueError:  # 31/11, 25:70: not a date
        return None
    if not 1900 <= year <= 2100:
        return None
    if clock is None:
        return when.strftime("%Y-%m-%d"), "day"
    return when.strftime("%Y-%m-%dT%H:%M"), "minute"


def _month_key(name: str) -> str:
    return name.rstrip(".").casefold()


def _clock(g: dict[str, Any], tag: str) -> tuple[int, int] | None:
    if not g[f"{tag}_h"]:
        return None
    hour, minute = int(g[f"{tag}_h"]), int(g[f"{tag}_min"])
    meridiem = (g[f"{tag}_ampm"] or "").casefold()
    if meridiem and not 1 <= hour <= 12:
        return None
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    return hour, minute


def _day_month(first: int, second: int, order: str) -> tuple[int, int]:
    """Day and month of an all-numeric date: a field above 12 decides, else the language's order."""
    if first > 12 >= second:
        return first, second
    if second > 12 >= first:
        return second, first
    return (second, first) if order.startswith("M") else (first, second)


def _full_year(digits: str) -> int:
    """A two-digit year as strptime reads it: 69-99 -> 19xx, 00-68 -> 20xx."""
    year = int(digits)
    if len(digits) == 2:
        return year + (1900 if year >= 69 else 2000)
    return year


# ---------------------------------------------------------------------------------------- patterns
@cache
def _reader(lang: str | None) -> _Reader:
    own = langdata.load(lang, "dateline")
    words = _words(own, langdata.load(FALLBACK_LANG, "dateline"))
    months = {name.casefold(): int(number) for name, number in words["months"].items()}
    furniture = [
        *words["weekdays"],
        *words["published_cues"],
        *words["updated_cues"],
        *words["time_connectors"],
    ]
    return _Reader(
        order=str(own.get("order", "DMY")),
        months=months,
        date=_date_pattern(words, months),
        furniture=_whole_words(furniture),
        updated=_whole_words(words["updated_cues"]),
        published=_whole_words(words["published_cues"]),
        embedded=re.compile("|".join(f"(?:{p})" for p in words["embed_patterns"]) or "(?!)"),
    )


def _whole_words(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_NOT_LETTER_BEFORE + _any(words) + _NOT_LETTER_AFTER, re.IGNORECASE)


def _words(own: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    """The language's words plus the English ones (the language wins where both name a month)."""
    out: dict[str, Any] = {"months": {**fallback.get("months", {}), **own.get("months", {})}}
    for key in (
        "weekdays",
        "published_cues",
        "updated_cues",
        "time_connectors",
        "date_joiners",
        "day_suffixes",
        "year_suffixes",
        "time_suffixes",
        "embed_patterns",
    ):
        out[key] = sorted({*own.get(key, []), *fallback.get(key, [])})
    return out


def _any(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so that "Mis à jour le" beats "Mis à jour"."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in ordered) + ")" if ordered else "(?!)"


def _time(tag: str, suffixes: str) -> str:
    # no digit guard after the minutes: a time glued to the date that follows it is read as two fields;
    # after a date, "09.15" is a time too (British and Scandinavian style), before one it would be a date
    separator = "[:hH.]" if tag == "post" else "[:hH]"
    return (
        rf"(?P<{tag}_h>\d{{1,2}})\s?{separator}\s?(?P<{tag}_min>[0-5]\d)"
        rf"(?:\s?(?P<{tag}_ampm>[AaPp])\.?\s?[Mm]\.?{_NOT_LETTER_AFTER})?"
        rf"(?:\s*{suffixes}{_NOT_LETTER_AFTER})?"
    )


def _date_pattern(words: dict[str, Any], months: dict[str, int]) -> re.Pattern[str]:
    month = rf"{_NOT_LETTER_BEFORE}{_any(months)}\.?{_NOT_LETTER_AFTER}"
    joiner = rf"(?:{_any(words['date_joiners'])}\s+)?"
    day_suffix = rf"(?:{_any(words['day_suffixes'])})?"
    year_suffix = rf"(?:\s*{_any(words['year_suffixes'])}(?:{_NOT_LETTER_AFTER}))?"
    suffixes = _any(words["time_suffixes"])
    iso = r"(?P<iso_y>\d{4})(?P<iso_sep>[-/.])(?P<iso_m>\d{1,2})(?P=iso_sep)(?P<iso_d>\d{1,2})(?!\d)"
    numeric = (
        r"(?P<num_a>\d{1,2})(?P<num_sep>[-/.])(?P<num_b>\d{1,2})(?P=num_sep)"
        r"(?P<num_y>\d{4}|\d{2})(?!\d)"
    )
    dmy = (
        rf"(?P<dmy_d>\d{{1,2}}){day_suffix}\s*{joiner}(?P<dmy_m>{month}),?\s+{joiner}"
        rf"(?P<dmy_y>\d{{4}})(?!\d){year_suffix}"
    )
    mdy = rf"(?P<mdy_m>{month})\s+(?P<mdy_d>\d{{1,2}}){day_suffix},?\s+(?P<mdy_y>\d{{4}})(?!\d)"
    # a time may precede the date, glued to it as scraped ("15:031/11/2023"), or follow it
    before = rf"(?:{_time('pre', suffixes)}[\s,|–—-]*)?"
    connector = rf"(?:{_any(words['time_connectors'])}\s+)?"
    # a weekday may stand between the date and its time: "8 Mart 2024 Cuma 09:15"
    weekday = rf"(?:{_NOT_LETTER_BEFORE}{_any(words['weekdays'])}{_NOT_LETTER_AFTER},?\s+)?"
    after = rf"(?:(?:T|\s*[,|–—-]?\s*{weekday}{connector}){_time('post', suffixes)}(?!\d))?"
    date = rf"(?<!\d){before}(?:{iso}|{numeric}|{dmy}|{mdy}){after}"
    return re.compile(_guard(months) + date, re.IGNORECASE)


def _guard(months: Iterable[str]) -> str:
    """A lookahead that holds wherever a date may start: a digit (a time, an all-numeric date, a day)
    or the first letter of a month name after no letter. It changes no match, but spares the regex
    engine trying every month name at every position of the text (`body_dates` reads it all)."""
    firsts = sorted({name[:1] for name in months if name})
    letters = "".join(re.escape(c) for c in firsts)
    return rf"(?=\d|{_NOT_LETTER_BEFORE}[{letters}])" if letters else r"(?=\d)"
