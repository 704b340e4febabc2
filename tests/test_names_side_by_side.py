"""Two names side by side in a run of capitalised words: "w Bundestagu Merz uzyskał poparcie" is
the Bundestag and Merz when the article writes each of them on its own elsewhere; a person the
knowledge base knows by both words ("Israel Katz") and a name whose first word never stands alone
("Donald Tusk") stay one name. Sentences written for these tests (pl, en, sk)."""

from __future__ import annotations

import pytest

from newsgraph.entities.backends.fallback import FallbackRecognizer
from newsgraph.entities.recognize import find_mentions
from newsgraph.model import Document


def names(text: str, lang: str) -> list[str]:
    return [m.text for m in find_mentions(Document("t", text, lang=lang), FallbackRecognizer(lang))]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "pl",
            "Merz złożył przysięgę w Bundestagu po południu. "
            "Poparcie w Bundestagu Merz uzyskał dopiero w drugim głosowaniu.",
        ),
        (
            "sk",
            "Merz zložil prísahu v Bundestagu. Potrebnú väčšinu v Bundestagu Merz získal až na druhý pokus.",
        ),
    ],
)
def test_an_institution_before_a_surname_is_two_names(lang: str, text: str) -> None:
    found = names(text, lang)
    assert not any(" " in n for n in found), found
    assert found.count("Merz") == 2 and found.count("Bundestagu") == 2


def test_a_person_the_knowledge_base_knows_by_both_words_stays_one_name() -> None:
    found = names("Israel Katz met the envoy. Israel said no. Katz added that talks would go on.", "en")
    assert "Israel Katz" in found


def test_a_first_name_that_never_stands_alone_stays_in_the_name() -> None:
    found = names("Premier Donald Tusk przywitał gościa. Tusk mówił długo.", "pl")
    assert "Donald Tusk" in found
