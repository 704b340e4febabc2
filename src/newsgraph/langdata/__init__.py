"""Per-language data files, one folder per ISO 639-1 code (like spaCy's `lang/<code>/`).

Code never branches on a language: it asks for a resource (`boilerplate`, `speech_verbs`,
`triggers`, ...) and gets the table of that language merged over the language-independent one
in `xx/`. Adding a language is adding a folder; a language without one still gets `xx`.

Every file is checked against its resource's schema (`schemas.py`) when it is first read, so a
misspelt key or a value of the wrong type stops the run with the file and key named instead of
reading as "no data".
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from newsgraph.langdata.schemas import NEUTRAL, RESOURCES, LangdataError, validate

__all__ = [
    "NEUTRAL",
    "RESOURCES",
    "LangdataError",
    "languages",
    "load",
    "load_all",
    "load_one",
    "register_schema",
]

Check = Callable[[str, dict[str, Any]], None]
_CHECKS: dict[str, Check] = {}


def register_schema(resource: str, check: Check) -> None:
    """Have every `<lang>/<resource>.toml` also checked by `check(lang, table)` when it is read.

    The resource's schema (`schemas.py`) always checks keys and types first; this adds rules a schema
    of one file cannot state (framing terms must name concepts that `xx/framing.toml` declares). The
    check raises `ValueError` naming the file. A resource registers when the module that owns it is
    imported, before it loads its data.
    """
    _CHECKS[resource] = check
    load_one.cache_clear()
    load.cache_clear()


def _folder() -> Any:
    return resources.files(__name__)


@cache
def languages() -> tuple[str, ...]:
    """Codes of the languages that have a data folder (without the neutral `xx`)."""
    return tuple(
        sorted(p.name for p in _folder().iterdir() if p.is_dir() and len(p.name) == 2 and p.name != NEUTRAL)
    )


@cache
def load_one(lang: str, resource: str) -> dict[str, Any]:
    """The raw table `<lang>/<resource>.toml`, or `{}` when that language has none.

    The table is checked against the resource's schema once per process (this function is cached)
    and returned as read: validation never changes a value.
    """
    path = _folder() / lang / f"{resource}.toml"
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LangdataError(f"langdata/{lang}/{resource}.toml is not valid TOML: {exc}") from None
    validate(resource, lang, table)
    check = _CHECKS.get(resource)
    if check is not None:
        check(lang, table)
    return table


@cache
def load(lang: str | None, resource: str) -> dict[str, Any]:
    """`<lang>/<resource>.toml` merged over `xx/<resource>.toml`: lists concatenate, tables merge."""
    merged = _merge(load_one(NEUTRAL, resource), load_one(lang, resource) if lang else {})
    return merged


def load_all(resource: str) -> dict[str, dict[str, Any]]:
    """The resource for every language that has it, keyed by language code (`xx` included)."""
    out = {}
    for lang in (NEUTRAL, *languages()):
        table = load_one(lang, resource)
        if table:
            out[lang] = table
    return out


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
