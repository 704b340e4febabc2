"""Role phrases become mentions of whoever held the role on the article's date."""

from __future__ import annotations

from newsgraph.entities.kb import KnowledgeBase
from newsgraph.entities.roles import role_mentions
from newsgraph.model import DateValue, Document, Mention


def article(text: str, lang: str, published: str, mentions: list[Mention] | None = None) -> Document:
    return Document(
        doc_id="d",
        text=text,
        lang=lang,
        published=DateValue(published, "day", None, "metadata"),
        sentences=[(0, len(text))],
        mentions=mentions or [],
    )


def test_the_office_holder_depends_on_the_date() -> None:
    text = "Le secrétaire d'État américain a appelé le président israélien à protéger les civils."
    kb = KnowledgeBase.default()
    in_2023 = role_mentions(article(text, "fr", "2023-11-01"), kb)
    assert [(m.text, m.entity) for m in in_2023] == [
        ("secrétaire d'État américain", "E:antony-blinken"),
        ("président israélien", "E:isaac-herzog"),
    ]
    in_2025 = role_mentions(article(text, "fr", "2025-06-01"), kb)
    assert in_2025[0].entity == "E:marco-rubio"


def test_russian_and_english_phrases_and_a_title_before_a_name() -> None:
    kb = KnowledgeBase.default()
    ru = role_mentions(article("Госсекретарь США прибыл в Тель-Авив.", "ru", "2024-01-09"), kb)
    assert [m.entity for m in ru] == ["E:antony-blinken"]
    text = "The Israeli Prime Minister Benjamin Netanyahu met him."
    name = Mention(text.index("Benjamin"), text.index(" met"), "Benjamin Netanyahu", "PER", entity="L:0")
    assert role_mentions(article(text, "en", "2024-01-09", [name]), kb) == []  # a title, not a mention
    alone = role_mentions(article("He met the Israeli Prime Minister on Tuesday.", "en", "2024-01-09"), kb)
    assert [m.entity for m in alone] == ["E:benjamin-netanyahu"]


def test_no_date_no_role() -> None:
    doc = Document(doc_id="d", text="Le président israélien a parlé.", lang="fr", sentences=[(0, 30)])
    assert role_mentions(doc, KnowledgeBase.default()) == []


def test_a_future_or_former_holder_is_not_the_holder_on_the_date() -> None:
    """ "le futur chancelier" in February 2025 is not the chancellor then in office."""
    kb = KnowledgeBase.default()
    fr = "Le futur chancelier allemand a ensuite salué l’accueil reçu à Paris."
    assert role_mentions(article(fr, "fr", "2025-02-27"), kb) == []
    en = "The former Israeli Prime Minister spoke to reporters; the Israeli Prime Minister did not."
    assert [m.text for m in role_mentions(article(en, "en", "2024-01-09"), kb)] == ["Israeli Prime Minister"]
    ru = "Бывший премьер-министр Израиля выступил в Иерусалиме."
    assert role_mentions(article(ru, "ru", "2024-01-09"), kb) == []
    de = "Der künftige deutsche Kanzler reiste nach Paris."
    assert role_mentions(article(de, "de", "2025-02-27"), kb) == []
    current = role_mentions(
        article("Le chancelier allemand a salué l’accueil reçu à Paris.", "fr", "2025-02-27"), kb
    )
    assert [m.entity for m in current] == ["E:olaf-scholz"]
