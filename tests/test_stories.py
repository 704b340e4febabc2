"""Story grouping: reports of one event in several languages share a story, others do not."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import numpy as np
import pytest

from fixtures_stores import dated_report
from newsgraph.model import DateValue, Document, Mention
from newsgraph.stories.embed import embed_texts, embedding_reliable, lead_text
from newsgraph.stories.features import ArticleFeatures, article_features, entity_salience, publication_day
from newsgraph.stories.group import Story, StoryIndex, StoryParams, assign_stories

# Articles written for these tests. Names are given with the global entity id the resolver would
# give them (the same in every language), as the story pass sees documents after `resolve`.
BIBI_EN = (
    "Pakistan's Supreme Court on Wednesday overturned the death sentence of Asia Bibi, a Christian "
    "woman convicted of blasphemy in 2010. Chief Justice Saqib Nisar read the verdict in Islamabad. "
    "Hardline protesters blocked roads in Lahore and Karachi after the ruling."
)
BIBI_FR = (
    "La Cour suprême du Pakistan a annulé mercredi la condamnation à mort d'Asia Bibi, une "
    "chrétienne accusée de blasphème. Le juge Saqib Nisar a lu la décision à Islamabad. Des "
    "islamistes ont bloqué des routes à Lahore pour protester contre l'acquittement."
)
BIBI_UK = (
    "Верховний суд Пакистану скасував смертний вирок християнці Асії Бібі, засудженій за "
    "богохульство. Після рішення суду в Ісламабаді та Лахорі почалися протести радикальних "
    "ісламістів."
)
QUAKE_DE = (
    "Ein Erdbeben der Stärke 7,8 hat in der Nacht den Süden der Türkei und den Norden Syriens "
    "getroffen. In Gaziantep und Kahramanmaraş stürzten Tausende Gebäude ein. Präsident Erdoğan "
    "rief den Notstand aus, Rettungsteams aus ganz Europa sind unterwegs."
)
QUAKE_RU = (
    "Землетрясение магнитудой 7,8 ночью разрушило тысячи зданий на юге Турции и на севере "
    "Сирии. Больше всего пострадали Газиантеп и Кахраманмараш. Президент Эрдоган объявил режим "
    "чрезвычайного положения."
)
FOOTBALL_EN = (
    "Manchester City were confirmed as champions on Saturday after their closest rivals lost "
    "at home. Pep Guardiola praised his squad for a remarkable run of wins since February."
)
BIBI_NAMES = {
    "Pakistan": ("E:pakistan", "LOC"),
    "Asia Bibi": ("E:asia-bibi", "PER"),
    "Saqib Nisar": ("E:saqib-nisar", "PER"),
    "Islamabad": ("E:islamabad", "LOC"),
    "Lahore": ("E:lahore", "LOC"),
    "Karachi": ("E:karachi", "LOC"),
}
ARTICLES = {
    "bibi-en": ("en", "2018-10-31", "Pakistan's top court acquits Asia Bibi", BIBI_EN, BIBI_NAMES),
    "bibi-fr": ("fr", "2018-10-31", "Pakistan : la Cour suprême acquitte Asia Bibi", BIBI_FR, BIBI_NAMES),
    "bibi-uk": (
        "uk",
        "2018-11-01",
        "Верховний суд Пакистану виправдав Асію Бібі",
        BIBI_UK,
        {
            "Пакистану": ("E:pakistan", "LOC"),
            "Асію Бібі": ("E:asia-bibi", "PER"),
            "Асії Бібі": ("E:asia-bibi", "PER"),
            "Ісламабаді": ("E:islamabad", "LOC"),
            "Лахорі": ("E:lahore", "LOC"),
        },
    ),
    "quake-de": (
        "de",
        "2023-02-06",
        "Schweres Erdbeben erschüttert die Türkei und Syrien",
        QUAKE_DE,
        {
            "Türkei": ("E:turkey", "LOC"),
            "Syriens": ("E:syria", "LOC"),
            "Gaziantep": ("E:gaziantep", "LOC"),
            "Kahramanmaraş": ("E:kahramanmaras", "LOC"),
            "Erdoğan": ("E:recep-tayyip-erdogan", "PER"),
            "Europa": ("E:europe", "LOC"),
        },
    ),
    "quake-ru": (
        "ru",
        "2023-02-06",
        "Мощное землетрясение произошло в Турции и Сирии",
        QUAKE_RU,
        {
            "Турции": ("E:turkey", "LOC"),
            "Сирии": ("E:syria", "LOC"),
            "Газиантеп": ("E:gaziantep", "LOC"),
            "Кахраманмараш": ("E:kahramanmaras", "LOC"),
            "Эрдоган": ("E:recep-tayyip-erdogan", "PER"),
        },
    ),
    "football-en": (
        "en",
        "2023-05-20",
        "City clinch the league title with two games to spare",
        FOOTBALL_EN,
        {"Manchester City": ("E:manchester-city", "ORG"), "Pep Guardiola": ("E:pep-guardiola", "PER")},
    ),
}


def make_document(doc_id: str) -> Document:
    lang, day, title, body, names = ARTICLES[doc_id]
    text = f"{title}\n\n{body}"
    body_start = len(title) + 2
    sentences = [(body_start + m.start(), body_start + m.end()) for m in re.finditer(r"[^.]+\.", body)]
    mentions = [
        Mention(m.start(), m.end(), name, kind, entity=entity)
        for name, (entity, kind) in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    return dated_report(doc_id, lang, day, text, len(title), sentences, mentions)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return [make_document(doc_id) for doc_id in ARTICLES]


@pytest.fixture(scope="module")
def stories(documents: list[Document]) -> dict[str, str | None]:
    index = StoryIndex()
    return dict(zip(ARTICLES, assign_stories(documents, index), strict=True))


def test_reports_of_one_event_in_different_languages_share_a_story(stories: dict[str, str | None]) -> None:
    assert stories["bibi-en"] == stories["bibi-fr"]
    assert stories["quake-de"] == stories["quake-ru"]


def test_language_outside_the_encoder_joins_through_entities(stories: dict[str, str | None]) -> None:
    assert not embedding_reliable("uk")
    assert stories["bibi-uk"] == stories["bibi-en"]


def test_unrelated_articles_get_stories_of_their_own(stories: dict[str, str | None]) -> None:
    assert stories["bibi-en"] != stories["quake-de"]
    assert stories["football-en"] not in {stories[k] for k in ARTICLES if k != "football-en"}
    assert all(s and s.startswith("S:") for s in stories.values())


def test_assignment_sets_document_story_and_skips_empty_documents() -> None:
    docs = [make_document("bibi-en"), Document(doc_id="broken", text="", errors=["unreadable"])]
    assigned = assign_stories(docs, StoryIndex())
    assert assigned[1] is None and docs[1].story is None
    assert docs[0].story == assigned[0]


def test_story_ids_are_deterministic(stories: dict[str, str | None]) -> None:
    again = assign_stories([make_document(doc_id) for doc_id in ARTICLES], StoryIndex())
    assert dict(zip(ARTICLES, again, strict=True)) == stories


def test_index_round_trip_gives_the_same_assignments() -> None:
    first, rest = (
        [make_document("bibi-en"), make_document("quake-de")],
        [make_document(k) for k in ("bibi-fr", "quake-ru", "football-en", "bibi-uk")],
    )
    kept = StoryIndex()
    assign_stories(first, kept)
    restored = StoryIndex.from_data(json.loads(json.dumps(kept.to_data())))
    assert restored.to_data() == kept.to_data()
    assert assign_stories(rest, restored) == assign_stories([make_document(d.doc_id) for d in rest], kept)


def test_an_article_joins_a_persisted_story() -> None:
    index = StoryIndex()
    (bibi,) = assign_stories([make_document("bibi-en")], index)
    restored = StoryIndex.from_data(index.to_data())
    assert assign_stories([make_document("bibi-fr")], restored) == [bibi]
    story = restored.stories[bibi or ""]
    assert story.size == 2 and story.entities["E:asia-bibi"] == 2
    assert story.to_data()["first_day"] == "2018-10-31"


def test_a_far_later_date_keeps_a_report_out_of_an_old_story() -> None:
    early, late = make_document("bibi-en"), make_document("bibi-fr")
    late.published = DateValue("2021-06-01", "day", origin="metadata")
    index = StoryIndex(StoryParams(day_penalty=1.0))
    first, second = assign_stories([early, late], index)
    assert first != second


def test_rare_entities_weigh_more_than_common_ones() -> None:
    index = StoryIndex()
    index.observe(
        [
            ArticleFeatures(
                f"d{i}",
                np.zeros(512, dtype=np.float32),
                True,
                {"E:united-states": 1.0} if i < 60 else {},
                None,
            )
            for i in range(100)
        ]
    )
    assert index.idf("E:asia-bibi") > index.idf("E:united-states")
    article = ArticleFeatures(
        "a", np.zeros(512, dtype=np.float32), True, {"E:united-states": 1.0, "E:asia-bibi": 1.0}, None
    )
    assert index.salient(article) == ["E:asia-bibi", "E:united-states"]


def test_stories_of_one_batch_with_a_common_profile_merge() -> None:
    index = StoryIndex(StoryParams(threshold=2.0, day_bonus=0.0))  # nothing joins: one story per article
    docs = [make_document(k) for k in ("bibi-en", "bibi-fr", "quake-de", "quake-ru")]
    separate = assign_stories(docs, index)
    assert len(set(separate)) == 4
    merging = StoryIndex(StoryParams(threshold=2.0, merge_min_size=1, merge_threshold=0.5))
    merged = assign_stories([make_document(d.doc_id) for d in docs], merging)
    assert merged[0] == merged[1] and merged[2] == merged[3] and merged[0] != merged[2]
    assert set(merged) <= set(separate) and len(merging.stories) == 2


def test_lead_text_starts_with_the_title_and_is_cut(documents: list[Document]) -> None:
    text = lead_text(documents[0], max_words=12)
    assert text.startswith("Pakistan's top court acquits Asia Bibi Pakistan's Supreme Court")
    assert len(text.split()) == 12


def test_lead_text_reads_the_budget_when_called(
    documents: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgraph.stories import embed

    full = lead_text(documents[1])  # the French report: title and body, under the default budget
    monkeypatch.setattr(embed, "LEAD_WORDS", 9)  # what `eval_stories.py --lead-words 9` sets
    short = lead_text(documents[1])
    assert len(short.split()) == 9 and full.startswith(short)
    assert lead_text(documents[1], max_words=20) == " ".join(full.split()[:20])


def test_embeddings_are_normalised_and_empty_text_is_zero() -> None:
    vectors = embed_texts(["The court freed the woman.", "", "Das Gericht hat die Frau freigesprochen."])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-4)
    assert not vectors[1].any()
    assert float(vectors[0] @ vectors[2]) > 0.6


def test_salience_favours_names_in_the_lead(documents: list[Document]) -> None:
    salience = entity_salience(documents[0])
    assert salience["E:asia-bibi"] > salience["E:karachi"]
    assert publication_day(DateValue("2018-10", "month")) is None
    same_day = publication_day(DateValue("2018-10-31", "day"))
    assert publication_day(DateValue("2018-10-31T09:00", "minute")) == same_day


def test_story_round_trip_keeps_dates_and_counts() -> None:
    story = Story("S:x")
    (article,) = article_features([make_document("quake-ru")])
    story.add(article, seq=1, keep_entities=10)
    again = Story.from_data(json.loads(json.dumps(story.to_data())))
    assert again.to_data() == story.to_data()
    assert np.array_equal(again.centroid, story.centroid)


def test_stories_whose_main_name_got_two_ids_merge_through_their_centroids() -> None:
    """One person resolved to two ids in two languages: the entity profiles share only the country,
    the centroids (mean leads) are close, so the merge score rises with `merge_embedding_weight`.

    Without the profile floor (`merge_min_profile`): at the defaults a shared country alone is not
    evidence enough (see the next tests), and such stories stay apart until their ids are one."""
    direction = np.zeros(512, dtype=np.float32)
    direction[:2] = (0.8, 0.6)

    def articles(prefix: str, person: str) -> list[ArticleFeatures]:
        return [
            ArticleFeatures(f"{prefix}{i}", direction, True, {person: 2.0, "E:pakistan": 1.0}, 737000 + i)
            for i in range(2)
        ]

    scores = []
    for weight in (0.0, 0.5):
        index = StoryIndex(StoryParams(merge_embedding_weight=weight, merge_min_profile=0.0))
        others = [ArticleFeatures(f"z{i}", direction, True, {"E:pakistan": 1.0}, None) for i in range(20)]
        index.observe(articles("x", "E:bibi-en") + articles("y", "E:bibi-uk") + others)
        one, two = Story("S:1"), Story("S:2")
        for story, batch in ((one, articles("x", "E:bibi-en")), (two, articles("y", "E:bibi-uk"))):
            for seq, article in enumerate(batch):
                story.add(article, seq, keep_entities=10)
        scores.append(index.story_similarity(one, two))
    assert scores[1] > scores[0]
    assert scores[0] < StoryParams().merge_threshold <= scores[1]
    floor = StoryIndex()
    floor.observe(articles("x", "E:bibi-en") + articles("y", "E:bibi-uk") + others)
    assert floor.story_similarity(one, two) == 0.0


def _story(story_id: str, articles: list[ArticleFeatures]) -> Story:
    story = Story(story_id)
    for seq, article in enumerate(articles):
        story.add(article, seq, keep_entities=10)
    return story


def test_two_stories_sharing_only_a_country_are_kept_apart() -> None:
    """Reports of a blasphemy trial and of a parliamentary vote both name the United Kingdom, and in
    one language their mean leads are close (the encoder's language and genre survive averaging).
    The centroids alone would merge them; the entity profiles share only a name most documents
    carry, so the merge needs specific evidence it does not have."""
    lead = np.zeros(512, dtype=np.float32)
    lead[:2] = (0.8, 0.6)
    bibi = {"E:asia-bibi": 2.0, "E:pakistan": 1.5, "E:united-kingdom": 1.0}
    may = {"E:theresa-may": 2.0, "E:brexit": 2.0, "E:united-kingdom": 1.5}
    trial = [ArticleFeatures(f"t{i}", lead, False, bibi, None) for i in range(3)]
    vote = [ArticleFeatures(f"v{i}", lead, False, may, None) for i in range(3)]
    common = [ArticleFeatures(f"c{i}", lead, False, {"E:united-kingdom": 1.0}, None) for i in range(30)]
    loose = StoryIndex(StoryParams(merge_min_profile=0.0))
    strict = StoryIndex()
    for index in (loose, strict):
        index.observe(trial + vote + common)
    assert loose.story_similarity(_story("S:t", trial), _story("S:v", vote)) >= StoryParams().merge_threshold
    assert strict.story_similarity(_story("S:t", trial), _story("S:v", vote)) < StoryParams().merge_threshold


def test_stories_sharing_their_main_person_still_merge() -> None:
    """The same precondition does not stop one story told by two outlets from merging: they share
    the specific names."""
    lead = np.zeros(512, dtype=np.float32)
    lead[:2] = (0.8, 0.6)
    court = {"E:asia-bibi": 2.0, "E:pakistan": 1.0}
    protest = {"E:asia-bibi": 1.0, "E:lahore": 1.0}
    one = [ArticleFeatures(f"a{i}", lead, False, court, None) for i in range(3)]
    two = [ArticleFeatures(f"b{i}", lead, False, protest, None) for i in range(3)]
    common = [ArticleFeatures(f"c{i}", lead, False, {"E:united-kingdom": 1.0}, None) for i in range(30)]
    index = StoryIndex()
    index.observe(one + two + common)
    assert index.story_similarity(_story("S:1", one), _story("S:2", two)) >= StoryParams().merge_threshold


def test_an_article_without_entities_is_scored_by_its_lead_alone() -> None:
    """No recogniser for the article's language: absent entity evidence does not count against it."""
    lead = np.zeros(512, dtype=np.float32)
    lead[0] = 1.0
    index = StoryIndex()
    member = ArticleFeatures("m", lead, True, {"E:asia-bibi": 1.0}, None)
    index.observe([member])
    story = _story("S:m", [member])
    bare = ArticleFeatures("x", lead, True, {}, None)
    named = ArticleFeatures("y", lead, True, {"E:lahore": 1.0}, None)
    assert index.scores(bare, [story]) == [pytest.approx(1.0)]
    assert index.scores(named, [story])[0] < 1.0


def test_an_article_the_encoder_reads_poorly_joins_at_the_weak_threshold() -> None:
    """The same score joins a story for an article in a language outside the encoder's training
    and starts a new story for one in a language it knows (`weak_threshold` < `threshold`)."""
    params = StoryParams(day_bonus=0.0)
    assert params.weak_threshold < params.threshold
    lead = np.zeros(512, dtype=np.float32)
    lead[0] = 1.0
    member = ArticleFeatures("m", lead, True, {"E:asia-bibi": 1.0}, None)
    # a cosine of 0.42 and no shared name: between the two thresholds for both kinds of article
    other = np.zeros(512, dtype=np.float32)
    other[:2] = (0.42, math.sqrt(1 - 0.42**2))
    for reliable, joins in ((False, True), (True, False)):
        index = StoryIndex(params)
        first = index.assign(member)
        article = ArticleFeatures("x", other, reliable, {}, None)
        assert params.weak_threshold <= index.scores(article, [index.stories[first]])[0] < params.threshold
        assert (index.assign(article) == first) is joins


OLD_FIRE = (
    "Incendie à Lyon : un entrepôt de meubles détruit par les flammes dans la nuit. Les pompiers ont "
    "lutté pendant six heures contre le feu, qui n'a fait aucun blessé."
)
OLD_FIRE_REPORT = (
    "Fire destroys furniture warehouse in Lyon overnight. Firefighters fought the blaze for six hours; "
    "nobody was hurt."
)
LATER_NEWS = (
    "Parliament approves the new budget after a long night of debate.",
    "Die Nationalmannschaft gewinnt das Testspiel gegen Portugal mit zwei zu eins.",
    "El banco central mantiene los tipos de interés sin cambios este mes.",
    "Heavy snow closes mountain passes in the Alps for the second day.",
)


def _fire_index(params: StoryParams) -> tuple[StoryIndex, str, ArticleFeatures, ArticleFeatures]:
    """An index whose French fire story was updated before four unrelated newer stories, and an
    English report of that fire, undated and dated (with no names, so only the lead can find it)."""
    vectors = embed_texts([OLD_FIRE, OLD_FIRE_REPORT, *LATER_NEWS])
    index = StoryIndex(params)
    fire = index.assign(ArticleFeatures("fire-fr", vectors[0], True, {}, None, "fr"))
    for k, vector in enumerate(vectors[2:]):
        index.assign(ArticleFeatures(f"later-{k}", vector, True, {}, None))
    undated = ArticleFeatures("fire-en", vectors[1], True, {}, None, "en")
    dated = replace(undated, doc_id="fire-en-dated", day=739000)
    return index, fire, undated, dated


def test_an_undated_report_finds_an_older_story_by_its_lead() -> None:
    """Recency blocking scores only the most recently updated stories; an undated article may report
    a story of any age, so the stories closest to its lead are scored as well."""
    params = StoryParams(recent_stories=2, day_bonus=0.0)
    index, fire, undated, dated = _fire_index(params)
    assert fire in index.similar(undated)
    assert fire not in {s.id for s in index.candidates(dated)}  # a dated article keeps the recent block
    assert index.assign(undated) == fire


def test_without_similar_blocking_the_older_story_is_missed() -> None:
    """The same undated report starts a story of its own when only recency blocks (what it fixes)."""
    index, fire, undated, _ = _fire_index(StoryParams(recent_stories=2, day_bonus=0.0, similar_stories=0))
    assert index.similar(undated) == []
    assert index.assign(undated) != fire


def test_a_small_story_is_compared_by_its_members_not_their_middle() -> None:
    """Two reports of different fires that happened to join: their normalised mean points between
    them, and a third report, like neither, scores higher against that middle than against either
    member. A story of up to `small_story` texts is compared by the mean cosine to its members; a
    larger one, whose mean is a steadier estimate, by the cosine to its normalised mean."""
    a, b, c = (np.eye(512, dtype=np.float32)[k] for k in range(3))
    middle = (a + b) / np.linalg.norm(a + b)
    third = 0.6 * middle + 0.8 * c  # cosine 0.42 with each member, 0.6 with their normalised mean
    article = ArticleFeatures("third", third.astype(np.float32), True, {}, None)

    def score(members: list[np.ndarray], small_story: int) -> float:
        index = StoryIndex(StoryParams(small_story=small_story))
        story = _story(
            "S:fires", [ArticleFeatures(f"m{k}", v, True, {}, None) for k, v in enumerate(members)]
        )
        (value,) = index.scores(article, [story])
        return value

    threshold = StoryParams().threshold
    assert score([a, b], small_story=0) == pytest.approx(0.6, abs=1e-5)
    assert score([a, b], small_story=0) > threshold
    assert score([a, b], small_story=3) == pytest.approx(0.6 / math.sqrt(2), abs=1e-5)
    assert score([a, b], small_story=3) < threshold
    # four members: the story is no longer small, its normalised mean counts
    assert score([a, b, a, b], small_story=3) == pytest.approx(0.6, abs=1e-5)


def test_an_entity_a_third_of_the_members_name_is_typical_of_the_story() -> None:
    """Reports of one story name its people in different places; a name a third of the members
    carry is as typical of the story as one all of them carry, a name one in five carries less."""
    lead = np.zeros(512, dtype=np.float32)

    def score(named: int, size: int) -> float:
        members = [
            ArticleFeatures(
                f"m{k}", lead, True, {"E:mahmoud-abbas": 1.0} if k < named else {"E:gaza": 1.0}, None
            )
            for k in range(size)
        ]
        index = StoryIndex()
        index.observe(members)
        article = ArticleFeatures("new", lead, True, {"E:mahmoud-abbas": 1.0}, None)
        (value,) = index.scores(article, [_story("S:s", members)])
        return value

    assert score(1, 3) == pytest.approx(score(3, 3))
    assert score(1, 5) < score(1, 3)
