"""benchmarks/parse_need.py: the cheap tests that say which sentences a stage reads a parse from, on
sentences we wrote, in French and English."""

from __future__ import annotations

from types import ModuleType

from fixtures_benchmarks import benchmark_module
from newsgraph.config import Settings
from newsgraph.events.lexicon import lexicon
from newsgraph.events.triggers import find_triggers
from newsgraph.language.syntax import analyse
from newsgraph.model import Document


def parse_need() -> ModuleType:
    return benchmark_module("parse_need")


def flags(sentence: str, lang: str) -> dict[str, bool]:
    module = parse_need()
    forms = module.cheap_forms(sentence, lang)
    return {name: test(sentence, forms) for name, test in module.stage_tests(lang).items()}


def test_a_word_is_known_by_its_text_its_parts_and_its_dictionary_lemma() -> None:
    forms = parse_need().cheap_forms("L’accord a-t-il été signé par les ministres ?", "fr")
    assert {"l'accord", "accord", "a-t-il", "il", "signé", "signer", "ministres", "ministre"} <= forms


def test_french_sentences_each_test_flags() -> None:
    assert flags("Les deux ministres se sont rencontrés à Genève.", "fr")["event_trigger"]
    assert flags("Le porte-parole a déclaré que le texte restait ouvert.", "fr")["quote_cue"]
    assert flags("D'après le maire, la route rouvrira lundi.", "fr")["quote_cue"]  # a source phrase
    assert flags("« Nous restons prudents », a-t-elle ajouté.", "fr")["quotation"]
    assert flags("Elle rentrera demain matin.", "fr")["pronoun"]
    quiet = flags("La pluie est tombée toute la nuit sur l'est du pays.", "fr")
    assert not any(quiet.values())  # an apostrophe in a word is no quotation mark


def test_english_sentences_each_test_flags() -> None:
    assert flags("The two leaders met in Oslo on Friday.", "en")["event_trigger"]
    assert flags("According to the mayor, the bridge will reopen.", "en")["quote_cue"]
    assert flags('"We are ready," the coach told reporters.', "en")["quotation"]
    assert flags("She arrived late.", "en")["pronoun"]
    quiet = flags("The river's level fell by two metres overnight.", "en")
    assert not any(quiet.values())


def test_where_the_trigger_test_is_false_the_parsed_sentence_has_no_trigger() -> None:
    """The events test is what `find_triggers` asks first, so a sentence it passes over holds no
    trigger after the full parse either (French and English sentences we wrote)."""
    module = parse_need()
    texts = {
        "fr": "La récolte de blé a doublé cette année. Les ministres ont signé un accord à Rabat. "
        "Le vent soufflait fort sur la côte.",
        "en": "Wheat prices doubled this year. The ministers signed a deal in Rabat. "
        "The sky stayed grey along the coast.",
    }
    for lang, text in texts.items():
        doc = Document(doc_id=f"need-{lang}", text=text, lang=lang)
        analysis = analyse(doc, Settings())
        test = module.stage_tests(lang)["event_trigger"]
        flagged = []
        for k, (start, end) in enumerate(analysis.sentences):
            tokens = [t for t in analysis.tokens if t.sent == k]
            sentence = text[start:end]
            flagged.append(test(sentence, module.cheap_forms(sentence, lang)))
            if not flagged[-1]:
                assert not find_triggers(tokens, lexicon(lang)), sentence
        assert flagged == [False, True, False], lang
