"""benchmarks/speed.py: the corpus it times is our own text, of one language, and the sizes it says."""

from __future__ import annotations

from types import ModuleType

from fixtures_benchmarks import benchmark_module


def speed_module() -> ModuleType:
    return benchmark_module("speed")


def test_the_corpus_is_the_examples_then_synthetic_articles_of_one_language() -> None:
    speed = speed_module()
    examples = speed.example_records("ru")
    assert examples  # the project's own Russian example articles
    records = speed.corpus("ru", len(examples) + 5, seed=3)
    assert len(records) == len(examples) + 5
    assert [r["text"] for r in records[: len(examples)]] == [r["text"] for r in examples]
    assert all(r["lang"] == "ru" for r in records)
    assert records == speed.corpus("ru", len(examples) + 5, seed=3)  # the same corpus every run
    assert len({r["text"] for r in records}) == len(records)


def test_a_corpus_smaller_than_the_examples_takes_the_first_ones() -> None:
    speed = speed_module()
    assert speed.corpus("fr", 1, seed=0) == speed.example_records("fr")[:1]


def test_the_summary_gives_each_language_its_ratio_and_worker_memory() -> None:
    speed = speed_module()
    report = speed.LanguageReport(
        lang="en",
        docs=30,
        kilobytes_per_doc=2.4,
        bare_model="spacy:en_core_web_sm",
        bare_s_per_doc=0.1,
        bare_docs_per_s=10.0,
        ner_alone_s_per_doc=0.05,
        extract_s_per_doc=0.15,
        extract_docs_per_s=6.7,
        ratio=1.5,
        ratio_rounds=[1.4, 1.5, 1.6],
        peak_rss_mb=900.0,
    )
    line = speed.summary([report], {"en": 250.0}, None)
    assert "ratio 1.5" in line and "NER alone 20.0 docs/s" in line and "worker peak RSS 250 MB" in line
