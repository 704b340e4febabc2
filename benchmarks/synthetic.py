"""Synthetic multilingual news articles for benchmarks, as interchange input JSON Lines.

Each language is a TOML file in `benchmarks/templates/` (people, roles, cities, topics, and
templates for headlines, datelines, photo captions, lead and body paragraphs, quotes and web
furniture). An article is those templates filled with slot values drawn from a seeded
`random.Random`, so the same `--seed` always gives the same file. Numbers and dates are written in
each language's notation (babel), and every article is padded with body paragraphs to a target
size of 1-4 KB of UTF-8.

Template slots: {a} {b} (people), {a_role} {b_role}, {city} {city_in}, {topic} {topic2}, {tag}
{tag2}, {n} (a count), {k} (a small count), {m} (an amount with one decimal), {date} {weekday}
{Weekday} {time} {dd} {mm} {yyyy} {hh} {mi}, {other} (another headline, for "read also" lines),
and grammatical gender choices {g:masc|fem} (by person a), {gb:masc|fem} (by person b) and
{gp:any-male|all-female} (for a plural verb about both).

    python benchmarks/synthetic.py --n 10000 --out synthetic.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from babel.dates import format_date
from babel.numbers import format_decimal

TEMPLATES = Path(__file__).with_name("templates")
MIN_BYTES, MAX_BYTES = 1000, 4000
FIRST_DAY, LAST_DAY = dt.date(2019, 1, 1), dt.date(2025, 6, 30)
CAPTION_DUPLICATED = 0.3  # share of articles whose photo caption a crawler picked up twice


@dataclass(frozen=True)
class Person:
    name: str
    feminine: bool


@dataclass(frozen=True)
class Locale:
    """One language's slot values and templates (a file in `templates/`)."""

    code: str
    utc_offset: str
    domain: str
    outlets: tuple[str, ...]
    people: tuple[Person, ...]
    roles: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (name, "in <name>" as the language says it)
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    headlines: tuple[str, ...]
    datelines: tuple[str, ...]
    captions: tuple[str, ...]
    leads: tuple[str, ...]
    paragraphs: tuple[str, ...]
    quotes: tuple[str, ...]
    furniture: tuple[str, ...]


class Gender:
    """Formats `{g:masc|fem}` as the form that agrees with one person (or any male in a group)."""

    def __init__(self, feminine: bool):
        self.feminine = feminine

    def __format__(self, spec: str) -> str:
        masculine, _, feminine = spec.partition("|")
        return feminine if self.feminine else masculine


def load_locale(path: Path) -> Locale:
    table: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    people = tuple(Person(entry[2:], entry.startswith("f:")) for entry in table["people"])
    cities = tuple(_city(entry) for entry in table["cities"])
    keys = (
        "outlets",
        "roles",
        "topics",
        "tags",
        "headlines",
        "datelines",
        "captions",
        "leads",
        "paragraphs",
        "quotes",
        "furniture",
    )
    texts = {key: tuple(table[key]) for key in keys}
    return Locale(
        code=table["code"],
        utc_offset=table["utc_offset"],
        domain=table["domain"],
        people=people,
        cities=cities,
        **texts,
    )


def _city(entry: str) -> tuple[str, str]:
    name, _, inside = entry.partition("/")
    return name, inside or name


def load_locales(folder: Path = TEMPLATES, langs: Sequence[str] | None = None) -> list[Locale]:
    locales = [load_locale(path) for path in sorted(folder.glob("*.toml"))]
    if langs:
        unknown = set(langs) - {loc.code for loc in locales}
        if unknown:
            raise ValueError(f"no templates for {sorted(unknown)} in {folder}")
        locales = [loc for loc in locales if loc.code in langs]
    return locales


def _gendered(role: str, person: Person) -> str:
    masculine, _, feminine = role.partition("|")
    return (feminine or masculine) if person.feminine else masculine


def _numbers(rng: random.Random, lang: str) -> dict[str, str]:
    """Fresh counts and amounts for one paragraph, in the language's notation."""
    return {
        "n": format_decimal(rng.choice((rng.randint(12, 999), rng.randint(1000, 60000))), locale=lang),
        "k": str(rng.randint(2, 40)),
        "m": format_decimal(round(rng.uniform(0.5, 80.0), 1), format="#,##0.0", locale=lang),
    }


def _article_slots(rng: random.Random, loc: Locale, when: dt.datetime) -> dict[str, Any]:
    a, b = rng.sample(loc.people, 2)
    city, city_in = rng.choice(loc.cities)
    topic, topic2 = rng.sample(loc.topics, 2)
    tag, tag2 = rng.sample(loc.tags, 2)
    weekday = format_date(when.date(), "EEEE", locale=loc.code)
    return {
        "a": a.name,
        "b": b.name,
        "a_role": _gendered(rng.choice(loc.roles), a),
        "b_role": _gendered(rng.choice(loc.roles), b),
        "g": Gender(a.feminine),
        "gb": Gender(b.feminine),
        "gp": Gender(a.feminine and b.feminine),
        "city": city,
        "city_in": city_in,
        "topic": topic,
        "topic2": topic2,
        "tag": tag,
        "tag2": tag2,
        "date": format_date(when.date(), "long", locale=loc.code),
        "weekday": weekday,
        "Weekday": weekday[:1].upper() + weekday[1:],
        "time": when.strftime("%H:%M"),
        "dd": when.strftime("%d"),
        "mm": when.strftime("%m"),
        "yyyy": when.strftime("%Y"),
        "hh": when.strftime("%H"),
        "mi": when.strftime("%M"),
    }


def _fill(rng: random.Random, template: str, slots: dict[str, Any], lang: str) -> str:
    """The template with its slots filled, capitalised: a role word may open the sentence ("president X")."""
    text = template.format_map({**slots, **_numbers(rng, lang)})
    return text[:1].upper() + text[1:]


def _moment(rng: random.Random) -> dt.datetime:
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    return dt.datetime.combine(day, dt.time(rng.randint(6, 23), rng.randrange(60)))


def article_text(rng: random.Random, loc: Locale, when: dt.datetime) -> str:
    """One article as a crawler would see it: headline, dateline, caption(s), body, then furniture."""
    slots = _article_slots(rng, loc, when)

    def fill(template: str, **extra: str) -> str:
        return _fill(rng, template, {**slots, **extra}, loc.code)

    caption = fill(rng.choice(loc.captions))
    head = [
        fill(rng.choice(loc.headlines)),
        fill(rng.choice(loc.datelines)),
        caption + ("\n" + caption if rng.random() < CAPTION_DUPLICATED else ""),
    ]
    tail = [
        fill(line, other=fill(rng.choice(loc.headlines)))
        for line in rng.sample(loc.furniture, rng.randint(1, 3))
    ]
    body = [fill(rng.choice(loc.leads))]
    target = rng.randint(MIN_BYTES, MAX_BYTES) - _size(head) - _size(tail)
    for template in _body_templates(rng, loc):
        if _size(body) >= target:
            break
        body.append(fill(template))
    return "\n\n".join(head + body + tail) + "\n"


def _body_templates(rng: random.Random, loc: Locale) -> list[str]:
    """Every body paragraph once, shuffled, with one or two quotes early on (as news stories put them)."""
    templates = rng.sample(loc.paragraphs, len(loc.paragraphs))
    for quote in rng.sample(loc.quotes, rng.randint(1, 2)):
        templates.insert(rng.randint(0, 3), quote)
    return templates


def _size(parts: Sequence[str]) -> int:
    return sum(len(part.encode("utf-8")) + 2 for part in parts)


def article_record(rng: random.Random, loc: Locale, index: int) -> dict[str, str]:
    """An interchange input record: `id`, `published`, `url`, `outlet`, `lang`, `text`."""
    when = _moment(rng)
    return {
        "id": f"syn-{index:07d}",
        "published": when.isoformat(timespec="minutes") + loc.utc_offset,
        "url": f"https://{loc.domain}/{when:%Y/%m/%d}/article-{index}",
        "outlet": rng.choice(loc.outlets),
        "lang": loc.code,
        "text": article_text(rng, loc, when),
    }


def generate(n: int, seed: int = 0, langs: Sequence[str] | None = None) -> Iterator[dict[str, str]]:
    """`n` articles, languages drawn evenly from the templates (or from `langs`)."""
    rng = random.Random(seed)
    locales = load_locales(langs=langs)
    for index in range(n):
        yield article_record(rng, rng.choice(locales), index)


def write_jsonl(records: Iterable[dict[str, str]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="how many articles (default 1000)")
    parser.add_argument("--out", default="-", help="JSON Lines file to write, - for stdout (default)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--langs", nargs="*", help="only these languages (default: every template)")
    args = parser.parse_args(argv)
    records = generate(args.n, args.seed, args.langs)
    if args.out == "-":
        write_jsonl(records, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8") as out:
            write_jsonl(records, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
