"""Write `langdata/<lang>/dateline.toml` month and weekday names from the Unicode CLDR (via Babel).

Month and weekday names are reference data, not judgement: CLDR has them for every language in
every grammatical form a date uses (Russian "марта" in a date, "март" alone), so a new language
gets its datelines read without hand-typed lists. Cues ("Published", "Updated") are language
knowledge CLDR does not hold; pass them with --published/--updated or add them to the file after.
An existing file is never overwritten (hand-curated files stay as they are).

    python scripts/dateline_langdata.py tr --published "Yayınlanma" --updated "Güncelleme"
    python scripts/dateline_langdata.py sr --also sr_Latn --published "Objavljeno"
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel import Locale

LANGDATA = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "langdata"


def month_names(locale: Locale) -> dict[str, int]:
    """Every CLDR form of each month (format and stand-alone, wide and abbreviated), lower case, no dot."""
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                key = name.rstrip(".").casefold()
                if key and not key.isdigit():
                    names.setdefault(key, int(number))
    return names


def weekday_names(locale: Locale) -> list[str]:
    """The wide weekday names, in their format and stand-alone forms."""
    names = {
        name.rstrip(".")
        for context in ("format", "stand-alone")
        for name in locale.days[context]["wide"].values()
    }
    return sorted(names)


def render(
    lang: str, published: list[str], updated: list[str], order: str, also: list[str], day_suffixes: list[str]
) -> str:
    """The file's text: the names of `lang` and of the `also` locales (another script or region)."""
    locale = Locale.parse(lang)
    locales = [locale, *(Locale.parse(extra) for extra in also)]
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    for one in locales:
        months = {**month_names(one), **months}
        weekdays.update(weekday_names(one))
    lines = [
        f"# {locale.english_name}: month and weekday names from the Unicode CLDR "
        "(scripts/dateline_langdata.py); cues by hand.",
        f'order = "{order}"',
        *([f"day_suffixes = {_toml_list(day_suffixes)}"] if day_suffixes else []),
        f"published_cues = {_toml_list(published)}",
        f"updated_cues = {_toml_list(updated)}",
        f"weekdays = {_toml_list(sorted(weekdays))}",
        "",
        "[months]",
    ]
    lines += [f'"{name}" = {number}' for name, number in sorted(months.items(), key=lambda kv: kv[1])]
    return "\n".join(lines) + "\n"


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang", help="ISO 639-1 code")
    parser.add_argument("--published", action="append", default=[], help="a publication cue")
    parser.add_argument("--updated", action="append", default=[], help="an update cue")
    parser.add_argument("--order", default="DMY", choices=("DMY", "MDY", "YMD"))
    parser.add_argument(
        "--day-suffix", action="append", default=[], help='a mark after the day ("." in "4. června")'
    )
    parser.add_argument(
        "--also", action="append", default=[], help="another locale's names too (sr_Latn, ar_SY)"
    )
    args = parser.parse_args(argv)
    target = LANGDATA / args.lang / "dateline.toml"
    if target.exists():
        print(f"{target} exists; not overwritten", file=sys.stderr)
        return 1
    target.parent.mkdir(exist_ok=True)
    target.write_text(
        render(args.lang, args.published, args.updated, args.order, args.also, args.day_suffix),
        encoding="utf-8",
    )
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
