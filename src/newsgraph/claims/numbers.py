"""Quantities as news text writes them, read in the notation of the text's language.

`8 525`, `8 525` (narrow no-break space), `23,000`, `23.000`, `1,2 миллиона`, `14,3 млрд долларов`,
`2,5 Mrd. Euro`, `$1.5bn`, `deux mille`, `шесть миллионов`, `two dozen`, `des dizaines de milliers`:
each becomes a `Quantity` with its span in the text, its value, the bound its qualifier gives
("plus de" → more_than) and its currency or unit. Digits that are not quantities (dates, clock
times, phone numbers, ordinals, "résolution 1701", "Boeing 737") are left out; years and ranges
are returned flagged, for the caller to decide.

All notation lives in `langdata/<lang>/numbers.toml` over `langdata/xx/numbers.toml`; month names
(to tell "7 octobre" from a count) come from the CLDR data in babel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError

from newsgraph import langdata
from newsgraph.claims.lexicon import Hit, Lexicon
from newsgraph.model import Span

RESOURCE = "numbers"
YEARS = (1000, 2100)  # a bare four-digit number in this range may be a year

Value = int | float

_WORD = re.compile(r"[^\W\d_]+")
_SPACE = re.compile(r"\s*")
_SEQUENCE_GAP = re.compile(r"[\s\-‐]+")
_DOT = re.compile(r"\s*\.")
# digits glued to the number that make it something else: "7.10.2023", "15:03", "1/11", "2020-2023"
_CODE_AFTER = re.compile(r"[.,:/\-–]\d")
_CODE_BEFORE = re.compile(r"(?:\w[\-‐]|[\d.,:/])\Z")
_LETTER_AFTER = re.compile(r"[\-‐]?[^\W\d_]")


@dataclass(frozen=True)
class Quantity:
    """A number in the text: `[start, end)` covers its qualifier, currency, scale and unit words."""

    start: int
    end: int
    value: Value
    bound: str | None = None  # more_than, less_than, about, at_least, at_most (None: as written)
    currency: str | None = None  # ISO 4217 code
    unit: str | None = None  # unit code from [units]: "%", "year", "km", "t", ...
    year_like: bool = False  # bare four digits that may be a year ("2000")
    in_range: bool = False  # one end of a range ("10 à 20", "between 5 and 8")


@dataclass(frozen=True)
class NumberWord:
    """How a word counts: `role` is word (adds), multiplier (hundred, dozen), scale (thousand and up),
    factor ("several": at least that many times what follows) or article ("a" million); `vague` is
    its reading alone ("dozens" → at least 24), if it has one."""

    role: str | None
    value: Decimal
    vague: tuple[Decimal, str] | None = None


@dataclass(frozen=True)
class Notation:
    number: re.Pattern[str]
    decimal_mark: str
    codes: re.Pattern[str]
    words: Lexicon[NumberWord]
    scales: Lexicon[Decimal]
    currency_scales: Lexicon[Decimal]
    currencies: Lexicon[str]
    currency_prefixes: Lexicon[str]
    units: Lexicon[str]
    bounds: Lexicon[str]
    bounds_after: Lexicon[str]
    reached: Lexicon[bool]  # "rose to", "выросло до": the number after them is exact as of that date
    connectors: Lexicon[bool]
    word_joiners: Lexicon[bool]
    range_joiners: Lexicon[bool]
    range_openers: Lexicon[str]
    designators: Lexicon[bool]
    months: Lexicon[bool]


@dataclass(frozen=True)
class _Core:
    """The number itself, before its qualifier, currency and unit are read around it."""

    start: int
    end: int
    value: Decimal
    vague_bound: str | None = None
    year_like: bool = False
    currency_scale: bool = False  # its scale ("m", "k") only means a scale next to a currency


# ---------------------------------------------------------------------------------------- public
def find_quantities(text: str, lang: str | None, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity in `text[start:end]`, in order, read in the notation of `lang`."""
    end = len(text) if end is None else end
    notation = notation_for(lang)
    codes = [m.span() for m in notation.codes.finditer(text, start, end)]
    cores = _digit_cores(text, start, end, notation, codes)
    cores += _word_cores(text, start, end, notation, cores)
    found: list[tuple[_Core, Quantity]] = []
    for core in sorted(cores, key=lambda c: c.start):
        quantity = _quantity(text, core, notation, end)
        # "cinq pour cent": the "cent" of the unit is no second number
        if quantity is not None and not (found and quantity.start < found[-1][1].end):
            found.append((core, quantity))
    return _mark_ranges(text, _compose_scaled(text, found, notation), notation)


def _compose_scaled(
    text: str, found: list[tuple[_Core, Quantity]], notation: Notation
) -> list[tuple[_Core, Quantity]]:
    """ "1 bin 215" (Turkish), "2 thousand 340": digits after a scale word add to it when they are
    fewer than the scale, so the two read as one number."""
    out: list[tuple[_Core, Quantity]] = []
    for core, quantity in found:
        if out:
            left_core, left = out[-1]
            scale = notation.scales.match_before(text, left.end, reach=16)
            if (
                scale is not None
                and scale.end == left.end
                and left.currency is None
                and left.unit is None
                and not text[left.end : quantity.start].strip()
                and quantity.bound is None
                and text[core.start : core.end].isdigit()
                and quantity.value < scale.value
            ):
                merged = replace(quantity, start=left.start, value=as_value(Decimal(left.value) + core.value))
                merged = replace(merged, bound=left.bound, year_like=False)
                out[-1] = (replace(left_core, end=core.end, value=left_core.value + core.value), merged)
                continue
        out.append((core, quantity))
    return out


def parse_quantity(text: str, lang: str | None) -> Quantity | None:
    """The one quantity that `text` is (surrounding whitespace aside), or None."""
    stripped = text.strip()
    found = find_quantities(stripped, lang)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0]
    return None


def as_value(number: Decimal) -> Value:
    """An int when the number is whole, else a float."""
    return int(number) if number == number.to_integral_value() else float(number)


# ---------------------------------------------------------------------------------------- digits
def _digit_cores(text: str, start: int, end: int, notation: Notation, codes: list[Span]) -> list[_Core]:
    out = []
    for m in notation.number.finditer(text, start, end):
        if any(a < m.end() and m.start() < b for a, b in codes) or _is_code(text, m, start, end):
            continue
        core = _scaled(text, m, notation, end)
        if core is not None and not _names_something(text, core, notation):
            out.append(core)
    return out


def _is_code(text: str, m: re.Match[str], start: int, end: int) -> bool:
    return bool(
        _CODE_AFTER.match(text, m.end(), end)
        or _CODE_BEFORE.search(text, max(start, m.start() - 2), m.start())
    )


def _scaled(text: str, m: re.Match[str], notation: Notation, end: int) -> _Core | None:
    """The digits with the scale word after them ("1,2 миллиона", "1.5bn"), or None for an ordinal or code."""
    digits = m.group(0)
    after = _SPACE.match(text, m.end(), end).end()  # type: ignore[union-attr]
    for lexicon, needs_currency in ((notation.scales, False), (notation.currency_scales, True)):
        scale = lexicon.match_at(text, after)
        if scale is not None and scale.end <= end:
            value = _read_digits(digits, notation, scaled=True) * scale.value
            return _Core(m.start(), scale.end, value, currency_scale=needs_currency)
    if _LETTER_AFTER.match(text, m.end(), end) and not _glued_unit(text, m.end(), notation):
        return None  # "7e", "1st", "7-й", "45-year-old": an ordinal or a compound, not a count
    plain = digits.isdigit() and len(digits) == 4
    value = _read_digits(digits, notation, scaled=False)
    return _Core(m.start(), m.end(), value, year_like=plain and YEARS[0] <= int(digits) <= YEARS[1])


def _glued_unit(text: str, pos: int, notation: Notation) -> bool:
    return any(lex.match_at(text, pos) for lex in (notation.units, notation.currencies))


def _read_digits(digits: str, notation: Notation, scaled: bool) -> Decimal:
    whole, _, fraction = digits.partition(notation.decimal_mark)
    whole = "".join(ch for ch in whole if ch.isdigit())
    if len(fraction) == 3 and not scaled:
        # "1,200" or "23.000" in a language that writes the other mark: a count of people or money is
        # never given to the thousandth, so three digits after the mark are a thousands group
        return Decimal(whole + fraction)
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def _names_something(text: str, core: _Core, notation: Notation) -> bool:
    """True for "résolution 1701", "Boeing 737", "7 octobre", "October 7": a name or a date, not a count."""
    if notation.designators.match_before(text, core.start, reach=30):
        return True
    if core.value > 31 and not core.year_like:
        return False
    pos = core.start
    while pos > 0 and text[pos - 1] in " .\u00a0":  # "Oct. 7", "October 7"
        pos -= 1
    if notation.months.match_before(text, pos, reach=30) is not None:
        return True
    pos = core.end
    dot = _DOT.match(text, pos)
    pos = _SPACE.match(text, dot.end() if dot else pos).end()  # type: ignore[union-attr]
    connector = notation.connectors.match_at(text, pos)
    if connector is not None:
        pos = _SPACE.match(text, connector.end).end()  # type: ignore[union-attr]
    return notation.months.match_at(text, pos) is not None


# ---------------------------------------------------------------------------------------- words
def _word_cores(text: str, start: int, end: int, notation: Notation, taken: list[_Core]) -> list[_Core]:
    out: list[_Core] = []
    pos = start
    for m in _WORD.finditer(text, start, end):
        if m.start() < pos or any(c.start <= m.start() < c.end for c in taken):
            continue
        items = _word_sequence(text, m.start(), end, notation)
        core = _compose(items) if items else None
        if core is not None:
            out.append(core)
            pos = core.end
    return out


def _word_sequence(text: str, pos: int, end: int, notation: Notation) -> list[Hit[NumberWord]]:
    """Consecutive number words from `pos`, across hyphens, joiners ("vingt et un") and connectors
    ("dizaines de milliers")."""
    items: list[Hit[NumberWord]] = []
    while True:
        hit = notation.words.match_at(text, pos)
        if hit is None or hit.end > end:
            return items
        items.append(hit)
        gap = _SEQUENCE_GAP.match(text, hit.end, end)
        pos = gap.end() if gap else hit.end
        link = notation.word_joiners.match_at(text, pos) or notation.connectors.match_at(text, pos)
        if link is not None:
            after = _SPACE.match(text, link.end, end).end()  # type: ignore[union-attr]
            following = notation.words.match_at(text, after)
            if following is None or not _may_link(hit.value, following.value):
                return items
            pos = after


def _may_link(left: NumberWord, right: NumberWord) -> bool:
    """ "vingt et un", "hundred and fifty", "dizaines de milliers" link; "deux et trois" is two numbers."""
    if right.role == "scale":
        return True
    adds = left.role in ("word", "multiplier") and right.role in ("word", "article")
    return adds and left.value > right.value


def _compose(items: list[Hit[NumberWord]]) -> _Core | None:
    words = [h.value for h in items]
    head = words[0]
    if head.role == "article":
        if len(words) == 1:
            return None
        if words[1].vague is not None and _only_scales(words[2:]):  # "une dizaine", "a dozen"
            return replace(_vague(items[1:], words[1].vague), start=items[0].start)
        return _counted(items) if words[1].role in ("multiplier", "scale") else None
    if head.vague is not None and _only_scales(words[1:]):
        return _vague(items, head.vague)
    if head.role == "factor" and len(items) > 1:
        # "plusieurs centaines": the vague word already says "at least"
        if words[1].role is None and words[1].vague is not None and _only_scales(words[2:]):
            rest = _vague(items[1:], words[1].vague)
            return _Core(items[0].start, rest.end, rest.value, vague_bound=rest.vague_bound)
        counted = _counted(items[1:])
        if counted is None:
            return None
        return _Core(items[0].start, counted.end, head.value * counted.value, vague_bound="at_least")
    return _counted(items)


def _only_scales(words: list[NumberWord]) -> bool:
    return all(w.role == "scale" for w in words)


def _vague(items: list[Hit[NumberWord]], reading: tuple[Decimal, str]) -> _Core:
    """A vague word read alone, times the scales after it ("dizaines de milliers")."""
    value, bound = reading
    for item in items[1:]:
        value *= item.value.value
    return _Core(items[0].start, items[-1].end, value, vague_bound=bound)


def _counted(items: list[Hit[NumberWord]]) -> _Core | None:
    """Cardinal words: words add, a multiplier multiplies what it follows, a scale closes a group."""
    total, current = Decimal(0), Decimal(0)
    used = 0
    for i, item in enumerate(items):
        word = item.value
        if word.role == "article":  # "un million", and the "un" of "vingt et un"
            current += Decimal(1)
        elif word.role == "word":
            current += word.value
        elif word.role == "multiplier":
            current = max(current, Decimal(1)) * word.value
        elif word.role == "scale":
            if word.value > total:  # "deux mille", "mil millones": the scale multiplies all before it
                total = (total + current or Decimal(1)) * word.value
            else:  # "two million three hundred thousand": it multiplies its own group
                total += max(current, Decimal(1)) * word.value
            current = Decimal(0)
        else:
            break
        used = i + 1
    meaningful = [w for w in items[:used] if w.value.role != "article"]
    if not meaningful:
        return None
    return _Core(items[0].start, items[used - 1].end, total + current)


# ---------------------------------------------------------------------------------------- around
def _quantity(text: str, core: _Core, notation: Notation, limit: int) -> Quantity | None:
    start, end = core.start, core.end
    prefix = notation.currency_prefixes.match_before(text, start, reach=8)
    currency = prefix.value if prefix is not None else None
    if prefix is not None:
        start = prefix.start
    suffix = _currency_after(text, end, notation, limit)
    if suffix is not None:
        currency, end = currency or suffix.value, suffix.end
    if core.currency_scale and currency is None:
        return None
    unit = None
    if currency is None:
        unit_hit = notation.units.match_at(text, _SPACE.match(text, end, limit).end())  # type: ignore[union-attr]
        if unit_hit is not None:
            unit, end = unit_hit.value, unit_hit.end
    bound = core.vague_bound
    qualifier = notation.bounds.match_before(text, start)
    if notation.reached.match_before(text, start) is not None:
        qualifier = None  # "выросло до 410", "rose to 410": the figure as it now stands, not a ceiling
    if qualifier is not None:
        bound, start = qualifier.value, qualifier.start
    else:
        after = notation.bounds_after.match_at(text, _SPACE.match(text, end, limit).end())  # type: ignore[union-attr]
        if after is not None and after.end <= limit:
            bound, end = after.value, after.end
    # "more than 1500" is no year, nor is "1500 euros"
    plain = currency is None and unit is None and bound is None and core.year_like
    return Quantity(start, end, as_value(core.value), bound, currency, unit, year_like=plain)


def _currency_after(text: str, pos: int, notation: Notation, limit: int) -> Hit[str] | None:
    """ "долларов", "d'euros" (through a connector), "Mrd. Euro" (past the abbreviation's dot)."""
    dot = _DOT.match(text, pos, limit)
    for at in (pos, dot.end()) if dot else (pos,):
        at = _SPACE.match(text, at, limit).end()  # type: ignore[union-attr]
        connector = notation.connectors.match_at(text, at)
        if connector is not None:
            at = _SPACE.match(text, connector.end, limit).end()  # type: ignore[union-attr]
        hit = notation.currencies.match_at(text, at)
        if hit is not None and hit.end <= limit:
            return hit
    return None


def _mark_ranges(text: str, found: list[tuple[_Core, Quantity]], notation: Notation) -> list[Quantity]:
    """ "10-20", "10 à 20", "entre 10 et 20", "от 10 до 20": both ends are flagged `in_range`."""
    out = [quantity for _, quantity in found]
    for i in range(len(out) - 1):
        left, right = out[i], out[i + 1]
        # up to the right number itself: its qualifier may be the joiner ("до" is also "up to")
        between = text[left.end : found[i + 1][0].start].strip()
        joiner = notation.range_joiners.match_at(between, 0)
        opener = notation.range_openers.match_before(text, left.start, reach=20)
        closes = joiner is not None and joiner.end == len(between)
        if opener is not None and between.casefold() == opener.value.casefold():
            closes = True
        if closes:
            out[i], out[i + 1] = replace(left, in_range=True), replace(right, in_range=True)
    return out


# ---------------------------------------------------------------------------------------- data
@cache
def notation_for(lang: str | None) -> Notation:
    table = langdata.load(lang, RESOURCE)
    decimal_mark = str(table.get("decimal_mark", "."))
    separators = "".join(s for s in table.get("group_separators", []) if s != decimal_mark)
    return Notation(
        number=_number_pattern(decimal_mark, separators),
        decimal_mark=decimal_mark,
        codes=re.compile("|".join(f"(?:{c})" for c in table.get("codes", [])) or "(?!)"),
        words=Lexicon(_number_words(table)),
        scales=Lexicon(_decimals(table.get("scales", {}))),
        currency_scales=Lexicon(_decimals(table.get("currency_scales", {}))),
        currencies=Lexicon({**table.get("currency_prefixes", {}), **table.get("currencies", {})}),
        currency_prefixes=Lexicon(table.get("currency_prefixes", {})),
        units=Lexicon(table.get("units", {})),
        bounds=Lexicon(_inverted(table.get("bounds", {}))),
        bounds_after=Lexicon(_inverted(table.get("bounds_after", {}))),
        reached=Lexicon.of_words(table.get("reached", []), True),
        connectors=Lexicon.of_words(table.get("connectors", []), True),
        word_joiners=Lexicon.of_words(table.get("word_joiners", []), True),
        range_joiners=Lexicon.of_words(table.get("range_joiners", []), True),
        range_openers=Lexicon(table.get("range_openers", {})),
        designators=Lexicon.of_words(table.get("designators", []), True),
        months=Lexicon.of_words(month_names(lang), True),
    )


def _number_pattern(decimal_mark: str, separators: str) -> re.Pattern[str]:
    group = f"[{re.escape(separators)}]" if separators else "(?!)"
    mark = re.escape(decimal_mark)
    return re.compile(rf"(?<![\w.,])(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{mark}\d+)?(?!\d)")


def _number_words(table: Mapping[str, Any]) -> dict[str, NumberWord]:
    roles = {"words": "word", "multipliers": "multiplier", "scales": "scale", "factors": "factor"}
    out: dict[str, NumberWord] = {}
    for section, role in roles.items():
        for word, value in table.get(section, {}).items():
            out[word.casefold()] = NumberWord(role, Decimal(value))
    for word in table.get("articles", []):
        out.setdefault(word.casefold(), NumberWord("article", Decimal(1)))
    for word, reading in table.get("vague", {}).items():
        known = out.get(word.casefold())
        vague = (Decimal(reading["value"]), str(reading["bound"]))
        out[word.casefold()] = NumberWord(
            known.role if known else None, known.value if known else Decimal(0), vague
        )
    return out


def _decimals(table: Mapping[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in table.items()}


def _inverted(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """`{bound: [phrases]}` → `{phrase: bound}`."""
    return {phrase: bound for bound, phrases in table.items() for phrase in phrases}


@cache
def month_names(lang: str | None) -> tuple[str, ...]:
    """Month names and abbreviations of `lang` (every grammatical context CLDR gives), and English ones."""
    names: set[str] = set()
    for code in dict.fromkeys([lang or "en", "en"]):
        try:
            months = Locale.parse(code).months
        except (UnknownLocaleError, ValueError):
            continue
        for context in months.values():
            for width in ("wide", "abbreviated"):
                names.update(n.rstrip(".") for n in context.get(width, {}).values() if len(n.rstrip(".")) > 2)
    return tuple(sorted(names))
