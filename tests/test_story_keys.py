"""Stories compare entities by name key: one person resolved to several ids across languages and
scripts still counts as one name in the story's evidence; short names do not collide."""

from __future__ import annotations

import re

import numpy as np

from newsgraph.entities.kb import entity_id
from newsgraph.model import DateValue, Document, Entity, Mention
from newsgraph.stories.features import ArticleFeatures, article_features, entity_key, name_key
from newsgraph.stories.group import Story, StoryIndex, StoryParams

# Articles written for these tests (the NATO summit in Vilnius, July 2023), with the ids a resolver
# that failed to link the names across scripts would give them: one id per spelling.
SUMMIT_SK = (
    "Generálny tajomník NATO Jens Stoltenberg otvoril v utorok summit aliancie vo Vilniuse. "
    "Jensa Stoltenberga sa novinári pýtali najmä na členstvo Ukrajiny."
)
SUMMIT_UK = (
    "Генеральний секретар НАТО Єнс Столтенберг у вівторок відкрив саміт альянсу у Вільнюсі. "
    "Журналісти питали Столтенберга передусім про членство України."
)
SUMMIT_EN = (
    "NATO Secretary General Jens Stoltenberg opened the alliance's summit in Vilnius on Tuesday, "
    "where Ukraine's membership dominated the questions."
)


def _document(doc_id: str, lang: str, text: str, names: dict[str, tuple[str, str]]) -> Document:
    """A dated document whose mentions carry the given ids, each with its canonical name."""
    mentions = [
        Mention(m.start(), m.end(), surface, "PER", entity=entity_id(name))
        for surface, (name, _) in names.items()
        for m in re.finditer(re.escape(surface), text)
    ]
    entities = {entity_id(name): Entity(entity_id(name), name, kind) for name, kind in names.values()}
    return Document(
        doc_id=doc_id,
        text=text,
        lang=lang,
        published=DateValue("2023-07-11", "day", origin="metadata"),
        body=[(0, len(text))],
        sentences=[(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)],
        mentions=sorted(mentions, key=lambda m: m.start),
        entities=entities,
    )


def test_spellings_of_one_name_share_a_key_across_scripts_and_case_endings() -> None:
    keys = {name_key(n) for n in ("Jens Stoltenberg", "Єнс Столтенберг", "Jensa Stoltenberga")}
    assert len(keys) == 1 and None not in keys
    assert name_key("Alexei Navalny") == name_key("Алексей Навальный") == name_key("Aleksiej Nawalny")
    assert name_key("Mahmoud Abbas") == name_key("محمود عباس")
    assert name_key("Brexit") == name_key("Брекзита")


def test_different_people_of_one_family_keep_different_keys() -> None:
    assert name_key("Алексей Навальный") != name_key("Юлия Навальная")


def test_a_short_name_has_no_key_and_stays_its_id() -> None:
    assert name_key("Bibi") is None and name_key("Li Wei") is None and name_key("Komisja") is None
    assert entity_key("E:li-wei", "Li Wei") == "E:li-wei"
    # a disambiguating number is not part of the name, and a short name keeps its own id
    assert entity_key("E:tlp-2") == "E:tlp-2"


def test_a_key_is_read_from_the_name_else_from_the_id() -> None:
    # the slug of a Cyrillic name splits at the soft sign ("naval-nyy"): the name is read better
    assert entity_key("E:aleksey-naval-nyy", "Алексей Навальный") == name_key("Alexei Navalny")
    assert entity_key("E:jens-stoltenberg") == name_key("Jens Stoltenberg")


def test_article_features_carry_the_keys_of_their_entities() -> None:
    doc = _document(
        "sk",
        "sk",
        SUMMIT_SK,
        {
            "Jens Stoltenberg": ("Jens Stoltenberg", "PER"),
            "Jensa Stoltenberga": ("Jensa Stoltenberga", "PER"),
        },
    )
    (article,) = article_features([doc], embed=False)
    assert set(article.keys) == {"E:jens-stoltenberg", "E:jensa-stoltenberga"}
    assert len(set(article.keys.values())) == 1


def _index(params: StoryParams) -> tuple[StoryIndex, Story, ArticleFeatures]:
    """A story of Ukrainian reports naming "Єнс Столтенберг" and an English report of the same
    summit whose resolver gave the name another id; their leads are set orthogonal, so that only
    the entities can relate them."""
    uk = _document("uk", "uk", SUMMIT_UK, {"Єнс Столтенберг": ("Єнс Столтенберг", "PER")})
    en = _document("en", "en", SUMMIT_EN, {"Jens Stoltenberg": ("Jens Stoltenberg", "PER")})
    uk_lead, en_lead = np.zeros(512, dtype=np.float32), np.zeros(512, dtype=np.float32)
    uk_lead[0], en_lead[1] = 1.0, 1.0
    (uk_article,) = article_features([uk], embed=False)
    (en_article,) = article_features([en], embed=False)
    members = [
        ArticleFeatures(f"uk{i}", uk_lead, False, uk_article.entities, uk_article.day, keys=uk_article.keys)
        for i in range(3)
    ]
    report = ArticleFeatures("en", en_lead, True, en_article.entities, en_article.day, keys=en_article.keys)
    others = [ArticleFeatures(f"o{i}", uk_lead, True, {"E:vilnius": 1.0}, None) for i in range(10)]
    index = StoryIndex(params)
    index.observe([*members, report, *others])
    story = Story("S:uk")
    for seq, member in enumerate(members):
        story.add(member, seq, keep_entities=10)
    return index, story, report


def test_a_report_naming_the_person_by_another_id_fits_the_story() -> None:
    keyed, story, report = _index(StoryParams())
    by_id, story_by_id, _ = _index(StoryParams(name_keys=False))
    assert report.entities.keys().isdisjoint(story.entities)
    (with_keys,) = keyed.scores(report, [story])
    (without,) = by_id.scores(report, [story_by_id])
    assert with_keys > without


def test_stories_whose_person_got_two_ids_merge_by_name_key() -> None:
    index, uk_story, report = _index(StoryParams())
    en_story = Story("S:en")
    for seq in range(3):
        en_story.add(report, seq, keep_entities=10)
    assert index.story_similarity(uk_story, en_story) >= index.params.merge_threshold
    by_id = StoryIndex(StoryParams(name_keys=False))
    by_id.observe([report])
    assert by_id.story_similarity(uk_story, en_story) == 0.0


def test_a_story_recounts_its_keys_when_a_name_gives_a_better_key() -> None:
    """An id first met without its name (a stored story) is keyed by its slug; once an article gives
    the name, the story's counts follow the name's key."""
    story = Story("S:x")
    lead = np.zeros(512, dtype=np.float32)
    story.add(ArticleFeatures("a", lead, True, {"E:aleksey-naval-nyy": 1.0}, None), 1, keep_entities=10)
    index = StoryIndex()
    before = index._counts(story)
    assert before[entity_key("E:aleksey-naval-nyy")] == 1
    index.learn_keys({"E:aleksey-naval-nyy": entity_key("E:aleksey-naval-nyy", "Алексей Навальный")})
    assert index._counts(story)[name_key("Alexei Navalny") or ""] == 1
