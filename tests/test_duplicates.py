"""Near-duplicates: a wire story re-posted by other outlets is one text; another report is not a copy."""

from __future__ import annotations

import numpy as np
import pytest

from newsgraph.model import Boilerplate, DateValue, Document
from newsgraph.stories.duplicates import (
    InMemoryDuplicates,
    body_spans,
    distinct_texts,
    find_duplicates,
    shingles,
    signature,
    similarity,
)

# Articles written for these tests: one wire story per language, a re-post of it with another
# headline, a byline line the clean stage marks as boilerplate and a paragraph of its own at the end,
# and an article on the same event in other words.
WIRE = {
    "en": (
        "Port workers in Rotterdam walked out on Monday morning after talks over night-shift pay broke "
        "down, halting container traffic at the largest harbour in Europe. The union said about four "
        "thousand members joined the strike and that ships would be turned away until Thursday. The "
        "port authority warned that queues of vessels were already forming at the mouth of the river "
        "and asked both sides to return to the table. Employers called the walk-out premature and "
        "said their last offer had raised night allowances by six percent over two years."
    ),
    "fr": (
        "Les dockers de Rotterdam ont cessé le travail lundi matin après l'échec des négociations sur "
        "la rémunération des équipes de nuit, paralysant le trafic de conteneurs dans le plus grand "
        "port d'Europe. Le syndicat affirme qu'environ quatre mille adhérents suivent la grève et que "
        "les navires seront refoulés jusqu'à jeudi. L'autorité portuaire a averti que des files de "
        "bateaux se formaient déjà à l'embouchure du fleuve et a appelé les deux parties à reprendre "
        "le dialogue. Les employeurs jugent la grève prématurée."
    ),
    "ru": (
        "Портовые рабочие Роттердама в понедельник утром прекратили работу после срыва переговоров об "
        "оплате ночных смен, остановив контейнерные перевозки в крупнейшем порту Европы. Профсоюз "
        "заявил, что к забастовке присоединились около четырёх тысяч человек и что суда не будут "
        "принимать до четверга. Администрация порта предупредила, что у устья реки уже выстраиваются "
        "очереди судов, и призвала стороны вернуться за стол переговоров."
    ),
}
EXTRA = {
    "en": "Our correspondent adds that local ferries were still running normally.",
    "fr": "Notre correspondant précise que les ferries locaux circulaient normalement.",
    "ru": "Наш корреспондент добавляет, что местные паромы ходят по расписанию.",
}
OTHER = {
    "en": (
        "Ships were stuck off the Dutch coast as a dockers' strike over night pay closed Rotterdam's "
        "container terminals, the second stoppage this year. Shipping lines rerouted cargo to Antwerp "
        "and Hamburg, and economists said a long strike could delay deliveries across the continent."
    ),
    "fr": (
        "Des navires attendaient au large des côtes néerlandaises: la grève des dockers pour la paie de "
        "nuit a fermé les terminaux de Rotterdam. Les armateurs détournent les cargaisons vers Anvers "
        "et Hambourg, et les économistes craignent des retards de livraison sur tout le continent."
    ),
    "ru": (
        "Суда застряли у берегов Нидерландов: забастовка докеров из-за оплаты ночных смен закрыла "
        "терминалы Роттердама. Судоходные линии перенаправляют грузы в Антверпен и Гамбург, а "
        "экономисты опасаются задержек поставок по всему континенту."
    ),
}


def article(
    doc_id: str, title: str, body: str, day: str | None, outlet: str, byline: str = "", tail: str = ""
) -> Document:
    """A document as the clean stage leaves it: title, an optional byline marked as boilerplate, body."""
    text = f"{title}\n{byline}\n{body}" + (f"\n{tail}" if tail else "")
    byline_start = len(title) + 1
    return Document(
        doc_id=doc_id,
        text=text,
        title=title,
        title_span=(0, len(title)),
        outlet=outlet,
        published=DateValue(day, "day") if day else None,
        body=[(0, len(text))],
        boilerplate=[Boilerplate(byline_start, byline_start + len(byline), "byline")] if byline else [],
    )


def wire_set(lang: str) -> list[Document]:
    """The agency's text, two re-posts (new headline, byline, a paragraph of their own), another report."""
    return [
        article(f"{lang}-agency", "Rotterdam port strike", WIRE[lang], "2024-03-04", "agency.example"),
        article(
            f"{lang}-site-a",
            "Strike shuts Europe's biggest port",
            WIRE[lang],
            "2024-03-04",
            "site-a.example",
            byline="By Staff Writer, 4 March 2024",
            tail=EXTRA[lang],
        ),
        article(
            f"{lang}-site-b", "Dock walk-out in the Netherlands", WIRE[lang], "2024-03-05", "site-b.example"
        ),
        article(
            f"{lang}-own", "Ships queue off the Dutch coast", OTHER[lang], "2024-03-04", "site-c.example"
        ),
    ]


@pytest.mark.parametrize("lang", sorted(WIRE))
def test_reposts_of_a_wire_story_point_to_the_agency_text(lang: str) -> None:
    docs = wire_set(lang)
    found = find_duplicates(docs, InMemoryDuplicates())
    assert [d.duplicate_of for d in docs] == [None, f"{lang}-agency", f"{lang}-agency", None]
    assert found.matched[f"{lang}-site-a"] == f"{lang}-agency"
    assert distinct_texts([d.doc_id for d in docs], {d.doc_id: d.duplicate_of or d.doc_id for d in docs}) == 2


@pytest.mark.parametrize("lang", sorted(WIRE))
def test_an_earlier_copy_arriving_later_becomes_the_canonical_text(lang: str) -> None:
    memory = InMemoryDuplicates()
    late_first = wire_set(lang)[1:3]  # the re-posts arrive first
    memory.remember(find_duplicates(late_first, memory))
    assert late_first[1].duplicate_of == f"{lang}-site-a"
    agency = article(f"{lang}-agency", "Rotterdam port strike", WIRE[lang], "2024-03-03", "agency.example")
    found = find_duplicates([agency], memory)
    canonical = {row.doc_id: row.canonical for row in found.rows}
    assert agency.duplicate_of is None
    assert canonical == {
        f"{lang}-agency": f"{lang}-agency",
        f"{lang}-site-a": f"{lang}-agency",
        f"{lang}-site-b": f"{lang}-agency",
    }


def test_a_translation_is_not_a_copy() -> None:
    docs = [wire_set("en")[0], wire_set("fr")[0]]
    find_duplicates(docs, InMemoryDuplicates())
    assert docs[1].duplicate_of is None


def test_the_headline_and_boilerplate_are_left_out_of_the_signature() -> None:
    _, repost, _, _ = wire_set("en")
    text = "".join(repost.span_text(span) for span in body_spans(repost))
    assert "Strike shuts" not in text and "Staff Writer" not in text
    assert "Port workers in Rotterdam" in text


def test_a_short_text_is_not_signed_and_scripts_without_spaces_get_character_shingles() -> None:
    assert signature(article("s", "Brief", "Ferries run normally.", None, "x")) is None
    grams = shingles("鹿特丹港口工人周一上午停工，夜班工资谈判破裂，欧洲最大港口的集装箱运输陷入停顿。")
    assert grams and all(len(g) == 5 for g in grams)


def test_the_similarity_estimate_follows_the_shared_text() -> None:
    agency, repost, _, other = wire_set("en")
    sig_agency, sig_repost, sig_other = signature(agency), signature(repost), signature(other)
    assert sig_agency is not None and sig_repost is not None and sig_other is not None
    assert sig_agency.dtype == np.uint32
    assert similarity(sig_agency, sig_repost) > 0.7 > 0.1 > similarity(sig_agency, sig_other)


@pytest.mark.parametrize("lang", sorted(WIRE))
def test_signatures_share_one_set_of_permutations_and_equal_a_fresh_minhash(lang: str) -> None:
    """The permutations are drawn once per process (`_minhash_template`); a signature must be the
    one a MinHash drawing its own permutations from the same seed gives, as stored signatures were."""
    from datasketch import MinHash

    from newsgraph.stories.duplicates import NUM_PERM

    for doc in wire_set(lang):
        grams = shingles("\n".join(doc.span_text(span) for span in body_spans(doc)))
        fresh = MinHash(num_perm=NUM_PERM)
        fresh.update_batch([g.encode("utf-8") for g in grams])
        sig = signature(doc)
        assert sig is not None
        assert np.array_equal(sig, np.asarray(fresh.hashvalues, dtype=np.uint32))
