"""Every language-data file is checked against its resource's schema when read (langdata/schemas.py)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from newsgraph import langdata
from newsgraph.langdata import schemas
from newsgraph.langdata.schemas import RESOURCES, LangdataError
from newsgraph.times.grammar import WORD_CLASSES

PACKAGE = Path(langdata.__file__).parent
SOURCE = PACKAGE.parent  # src/newsgraph
SHIPPED = sorted(PACKAGE.glob("*/*.toml"))  # the loader reads only TOML (no .tsv is shipped)


def _clear_caches() -> None:
    langdata.languages.cache_clear()
    langdata.load_one.cache_clear()
    langdata.load.cache_clear()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A language-data folder of the test's own files in place of the package's."""
    monkeypatch.setattr(langdata, "_folder", lambda: tmp_path)
    _clear_caches()
    yield tmp_path
    monkeypatch.undo()
    _clear_caches()


def _write(root: Path, lang: str, resource: str, text: str) -> None:
    folder = root / lang
    folder.mkdir(exist_ok=True)
    (folder / f"{resource}.toml").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------- shipped files
def test_every_shipped_file_has_a_schema_and_matches_it() -> None:
    assert SHIPPED, "no language data found"
    for path in SHIPPED:
        assert path.stem in RESOURCES, f"{path}: no schema in langdata/schemas.py"
        schemas.validate(path.stem, path.parent.name, tomllib.loads(path.read_text(encoding="utf-8")))


def test_every_shipped_file_loads_through_the_loader() -> None:
    for path in SHIPPED:
        assert langdata.load_one(path.parent.name, path.stem) is not None


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_validation_changes_no_merged_table(resource: str) -> None:
    """`load` gives what the files hold, merged: the same tables as reading them without a schema."""

    def raw(lang: str) -> dict[str, Any]:
        path = PACKAGE / lang / f"{resource}.toml"
        return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    for lang in (None, *langdata.languages()):
        expected = langdata._merge(raw(langdata.NEUTRAL), raw(lang) if lang else {})
        assert langdata.load(lang, resource) == expected, (lang, resource)


# ---------------------------------------------------------------------------------------- bad files
# (resource, file text, key path the message must name): one unknown key and one wrong type each
BAD_FILES = [
    ("boilerplate", '[[rules]]\nkind = "promo"\nscope = "line"\nphrase = ["À lire"]\n', "rules[0].phrase"),
    ("boilerplate", 'section_words = "Monde"\n', "section_words"),
    ("claims", 'speech_verb = ["a déclaré"]\n', "speech_verb"),
    ("claims", '[kinds]\nkilled = "tués"\n', "kinds.killed"),
    ("dateline", 'weekday = ["lundi"]\n', "weekday"),
    ("dateline", '[months]\njanvier = "1"\n', "months.janvier"),
    ("dateline", "[months]\njanvier = 13\n", "months.janvier"),
    ("entities", 'title = ["ministre"]\n', "title"),
    ("entities", 'lemmatize = "yes"\n', "lemmatize"),
    ("events", '[verb]\nCONSULT = ["rencontrer"]\n', "verb"),
    ("events", "max_lead = 2.5\n", "max_lead"),
    ("events", '[markers]\npartner_afer = ["con"]\n', "markers.partner_afer"),  # names the code asks for
    ("framing", "[concepts.violence]\ngenocide = -1\n", "concepts"),  # only xx/ declares concepts
    ("framing", "max_ending = -1\n", "max_ending"),
    ("numbers", 'decimal = ","\n', "decimal"),
    ("numbers", '[vague.dizaines]\nvalue = "10"\nbound = "about"\n', "vague.dizaines.value"),
    ("numbers", '[vague.dizaines]\nvalue = 10\nbound = "roughly"\n', "vague.dizaines.bound"),
    ("quotes", 'verb = ["dit"]\n', "verb"),
    ("quotes", 'verbs = "dit"\n', "verbs"),
    ("quotes", 'pairs = [["«"]]\n', "pairs[0]"),  # a pair has two marks
    ("quotes", 'verbs = ["dit", ""]\n', "verbs[1]"),  # an empty word would match everywhere
    ("roles", '[[role]]\noffice = "head_of_state"\nphrase = ["président"]\n', "role[0].phrase"),
    ("roles", 'not_current = "ancien"\n', "not_current"),
    ("sentences", 'terminator = ["."]\n', "terminator"),
    ("sentences", "ordinal_period = 1\n", "ordinal_period"),
    ("times", "[words.months]\njanvier = 1\n", "words.months"),
    ("times", "[words.approx]\nenviron = 1\n", "words.approx.environ"),
    ("translit", '[skeleton]\nvowel = "A"\n', "skeleton.vowel"),
    ("translit", '[inflection]\nmin_stem = "3"\n', "inflection.min_stem"),
]


@pytest.mark.parametrize(("resource", "text", "key"), BAD_FILES)
def test_a_bad_file_is_rejected_naming_file_and_key(
    data_dir: Path, resource: str, text: str, key: str
) -> None:
    _write(data_dir, "fr", resource, text)
    with pytest.raises(LangdataError) as caught:
        langdata.load("fr", resource)
    message = str(caught.value)
    assert f"langdata/fr/{resource}.toml" in message
    assert re.search(rf"^  - {re.escape(key)}: ", message, re.MULTILINE), message
    assert "schemas.py" in message  # says where a new key is declared


def test_every_resource_has_a_bad_file_of_each_kind() -> None:
    unknown = {r for r, text, key in BAD_FILES if "unknown key" in _message(r, text)}
    wrong = {r for r, text, key in BAD_FILES if "expected" in _message(r, text)}
    assert unknown == wrong == set(RESOURCES)


def _message(resource: str, text: str) -> str:
    try:
        schemas.validate(resource, "fr", tomllib.loads(text))
    except LangdataError as exc:
        return str(exc)
    return ""


def test_unknown_key_lists_the_keys_allowed_there() -> None:
    message = _message("times", "[words.months]\njanvier = 1\n")
    assert "words.months: unknown key; known keys here (TimesWords): " in message
    assert "month, month_abbreviation" in message


def test_keys_with_dots_are_quoted_in_the_path() -> None:
    message = _message("times", '[words.meridiem]\n"a.m." = 1\n')
    assert 'words.meridiem."a.m.": expected a valid string, got int 1' in message


def test_the_neutral_file_may_declare_framing_concepts() -> None:
    schemas.validate("framing", langdata.NEUTRAL, {"concepts": {"violence": {"genocide": -1}}})
    assert "concepts: unknown key" in _message("framing", "[concepts.violence]\ngenocide = -1\n")


def test_the_neutral_sentences_file_must_give_every_key(data_dir: Path) -> None:
    _write(data_dir, "xx", "sentences", 'terminators = ["."]\n')
    with pytest.raises(LangdataError, match=r"(?m)^  - closers: missing"):
        langdata.load_one("xx", "sentences")
    _write(data_dir, "de", "sentences", "ordinal_period = true\n")  # a language gives only what differs
    assert langdata.load_one("de", "sentences") == {"ordinal_period": True}


def test_a_file_that_is_no_toml_is_named(data_dir: Path) -> None:
    _write(data_dir, "fr", "quotes", "verbs = [dit\n")
    with pytest.raises(LangdataError, match=r"langdata/fr/quotes\.toml is not valid TOML"):
        langdata.load_one("fr", "quotes")


def test_a_resource_without_schema_is_rejected(data_dir: Path) -> None:
    _write(data_dir, "fr", "idioms", 'words = ["coup de théâtre"]\n')
    with pytest.raises(LangdataError, match="no schema for the resource 'idioms'"):
        langdata.load_one("fr", "idioms")
    assert langdata.load_one("fr", "absent") == {}  # no file: no data, no error


def test_each_file_is_validated_once_per_process(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = langdata.validate
    monkeypatch.setattr(langdata, "validate", lambda r, lang, t: (calls.append((r, lang)), real(r, lang, t)))
    _write(data_dir, "xx", "quotes", 'verbs = ["said"]\n')
    _write(data_dir, "pt", "quotes", 'verbs = ["disse"]\n')
    for _ in range(3):
        assert langdata.load("pt", "quotes") == {"verbs": ["said", "disse"]}
        langdata.load("es", "quotes")
    assert sorted(calls) == [("quotes", "pt"), ("quotes", "xx")]


# ---------------------------------------------------------------------------------------- schemas and code
def _declared_keys(model: type[BaseModel]) -> set[str]:
    keys = set(schemas.file_keys(model))
    for field in model.model_fields.values():
        for inner in _models_in(field.annotation):
            keys |= _declared_keys(inner)
    return keys


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def test_every_declared_key_is_read_by_some_code() -> None:
    """A schema key no code reads would let a file hold data that silently does nothing."""
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py") if p.parent.name != "langdata"
    )
    for resource, spec in RESOURCES.items():
        for model in filter(None, (spec.schema, spec.neutral)):
            unread = {k for k in _declared_keys(model) if f'"{k}"' not in code}
            assert not unread, f"{resource}: keys declared in schemas.py that no code reads: {sorted(unread)}"


def test_times_word_tables_are_the_grammar_classes() -> None:
    tables = {name for names in WORD_CLASSES.values() for name in names}
    assert set(schemas.file_keys(schemas.TimesWords)) == tables
