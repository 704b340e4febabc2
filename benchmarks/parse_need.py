"""How much parsing a selective parse could save: the spaCy components' CPU, and the share of sentences
(and of their characters) that a stage reads syntax from.

The question (issue 14): the parse (tok2vec, morphologizer or tagger, parser, attribute ruler,
lemmatizer) is read by events (a trigger's participants), and by quotes (a cue's speaker and
content); if only some sentences need it, parsing only those would make the model do less than the
bare pipeline. This script measures, on the `speed.py` corpus (or on any input JSON Lines file):

1. the CPU time (`time.process_time`, median of `--rounds`) of each component of the installed
   pipeline, run component by component over the whole texts (as the bare model runs) and over the
   body sentences without the entity recogniser (as `language.syntax` runs the parse);
2. per sentence, whether a cheap test made before any parse, from the stages' own lexicons, says it
   needs the parse (`stage_tests`; a word is known by its case-folded text, the parts of an elided
   or hyphenated word and its simplemma lemma); and, after the full pipeline, which sentences hold
   an event's trigger or a quotation's cue, speaker or start in the output (what no test could
   leave out, whatever else the stages read);
3. the most a selective parse could save, as a share of the bare model's CPU: the parse's CPU times
   the share of the characters the test leaves unparsed (the parse's cost grows with the tokens),
   and the same for a perfect test (every sentence without output left unparsed).

    python benchmarks/parse_need.py --langs fr en --docs 30 --rounds 3
    python benchmarks/parse_need.py --langs fr en --input ../shared/eval/data/news/dev/inputs.jsonl

The input file's records are run through language identification, so its languages need no field.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_PARTS = re.compile(r"['’\-]")


# ---------------------------------------------------------------------------- component CPU


def component_cpu(nlp: Any, texts: Sequence[str], skip: Iterable[str], rounds: int) -> dict[str, float]:
    """CPU seconds per component (and the tokenizer) over `texts`, each component over the whole batch
    in turn, median of `rounds`; components in `skip` are left out."""
    skipped = set(skip)
    seconds: dict[str, list[float]] = {}
    for _ in range(rounds):
        started = time.process_time()
        docs = [nlp.make_doc(text) for text in texts]
        seconds.setdefault("tokenizer", []).append(time.process_time() - started)
        for name, component in nlp.pipeline:
            if name in skipped:
                continue
            started = time.process_time()
            docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(d) for d in docs]
            seconds.setdefault(name, []).append(time.process_time() - started)
    return {name: round(statistics.median(values), 3) for name, values in seconds.items()}


# ---------------------------------------------------------------------------- the cheap test


def cheap_forms(sentence: str, lang: str) -> set[str]:
    """What a lexicon may know a word of `sentence` by without a parse: its case-folded text (the
    typographic apostrophe made plain), the parts of an elided or hyphenated word ("l'accord",
    "a-t-il") and its simplemma lemma."""
    from newsgraph.language.syntax import light_lemma
    from newsgraph.quotes.phrase_index import normal

    forms: set[str] = set()
    for word in _WORD.findall(sentence):
        folded = normal(word)
        forms.add(folded)
        forms.update(part for part in _PARTS.split(folded) if part)
        forms.add(normal(light_lemma(word, lang)))
    return forms


def stage_tests(lang: str) -> dict[str, Callable[[str, set[str]], bool]]:
    """Per stage, the cheap test of a sentence (its text and `cheap_forms`), as narrow as the stage's
    lexicon allows without a parse: a trigger's first word (`events.toml`); a cue word, or a cue phrase
    or source phrase spelled out in the sentence (`quotes.toml`); a quotation (paired marks, or a
    closing mark left alone), or a sentence opened by a dialogue dash; a subject pronoun ("il",
    "she": the quotes stage reads speakers' genders off the pronouns parsed as subjects)."""
    from newsgraph.events.lexicon import lexicon
    from newsgraph.quotes.lexicon import quote_lexicon
    from newsgraph.quotes.marks import find_quoted
    from newsgraph.quotes.phrase_index import normal

    events, quotes = lexicon(lang), quote_lexicon(lang)
    triggers = {normal(word) for word in events.entries}
    tails = tuple(tail for tail, _ in events.compound_tails)
    cue_words = {
        normal(w) for w in quotes.attributors | quotes.verbs | quotes.speech_nouns | quotes.after_verbs
    }
    phrases = [" ".join(normal(w) for w in words) for words in quotes.phrases]
    phrases += [" ".join(normal(w) for w in (p.before + p.after)) for p in quotes.sources]
    pronouns = {normal(w) for w in quotes.pronouns}

    def event_trigger(_: str, forms: set[str]) -> bool:
        return not triggers.isdisjoint(forms) or any(f.endswith(tails) for f in forms if tails)

    def quote_cue(sentence: str, forms: set[str]) -> bool:
        folded = normal(sentence)
        return not cue_words.isdisjoint(forms) or any(p and p in folded for p in phrases)

    def quotation(sentence: str, _: set[str]) -> bool:
        quoted, orphans = find_quoted(sentence, [(0, len(sentence))], quotes)
        return bool(quoted or orphans) or sentence.lstrip()[:1] in quotes.dialogue_dashes

    def pronoun(_: str, forms: set[str]) -> bool:
        return not pronouns.isdisjoint(forms)

    return {
        "event_trigger": event_trigger,
        "quote_cue": quote_cue,
        "quotation": quotation,
        "pronoun": pronoun,
    }


def output_sentences(doc: Any, analysis: Any) -> set[int]:
    """The sentences that hold an event's trigger, or a quotation's start, cue or speaker."""
    offsets = [e.trigger[0] for e in doc.events if e.trigger]
    for quote in doc.quotes:
        offsets.append(quote.start)
        offsets += [span[0] for span in (quote.cue, quote.speaker_span) if span]
    found = {analysis.sentence_of(offset) for offset in offsets}
    return {k for k in found if k is not None}


# ---------------------------------------------------------------------------- main


def annotated(args: argparse.Namespace, settings: Any, tmp: Path) -> dict[str, list[Any]]:
    """The documents of `args.langs`, annotated by every stage (their analysis kept), by language."""
    from newsgraph.ingest.readers import read_paths
    from newsgraph.pipeline.annotate import pipeline_for

    if args.input is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from speed import corpus

        records = [r for lang in args.langs for r in corpus(lang, args.docs, args.seed)]
    else:
        with open(args.input, encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines if line.strip()]
    path = tmp / "input.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    pipeline = pipeline_for(settings)
    by_lang: dict[str, list[Any]] = {lang: [] for lang in args.langs}
    for doc in read_paths([path], settings):
        doc = pipeline(doc)
        if doc.lang in by_lang and "analysis" in doc.cache:
            by_lang[doc.lang].append(doc)
    return by_lang


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from newsgraph.config import Settings
    from newsgraph.language.models import load_spacy
    from newsgraph.language.syntax import entity_components

    settings = Settings(workers=0)
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsgraph-parse-need-") as tmp:
        docs = annotated(args, settings, Path(tmp))
        for lang in args.langs:
            tests = stage_tests(lang)
            count, chars = Counter(), Counter()
            texts, sentences = [], []
            for doc in docs[lang]:
                analysis = doc.cache["analysis"]
                texts.append(doc.text)
                kept = output_sentences(doc, analysis)
                for k, (start, end) in enumerate(analysis.sentences):
                    sentence = doc.text[start:end]
                    sentences.append(sentence)
                    forms = cheap_forms(sentence, lang)
                    flags = {name: test(sentence, forms) for name, test in tests.items()}
                    flags["any stage"] = any(flags.values())
                    flags["in the output"] = k in kept
                    flags["all"] = True
                    for name, flag in flags.items():
                        count[name] += flag
                        chars[name] += len(sentence) * flag
            if not texts:
                continue
            nlp = load_spacy(settings.models[lang].removeprefix("spacy:"))
            bare = component_cpu(nlp, texts, (), args.rounds)
            parse = component_cpu(nlp, sentences, entity_components(nlp), args.rounds)
            bare_total, parse_total = sum(bare.values()), sum(parse.values())
            unparsed = 1 - chars["any stage"] / max(chars["all"], 1)
            outside = 1 - chars["in the output"] / max(chars["all"], 1)  # what no test could need less
            report[lang] = {
                "documents": len(texts),
                "sentences": count["all"],
                "bare_cpu_s": bare,
                "parse_cpu_s": parse,
                "parse_over_bare": round(parse_total / bare_total, 3),
                "sentence_share": {k: round(v / count["all"], 3) for k, v in count.items() if k != "all"},
                "character_share": {k: round(v / chars["all"], 3) for k, v in chars.items() if k != "all"},
                "most_saved_over_bare": round(unparsed * parse_total / bare_total, 3),
                "most_saved_by_the_output_over_bare": round(outside * parse_total / bare_total, 3),
            }
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--langs", nargs="*", default=["fr", "en"])
    parser.add_argument("--docs", type=int, default=30, help="speed.py corpus: articles per language")
    parser.add_argument("--rounds", type=int, default=3, help="component timings: median of this many")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--input", type=Path, help="JSON Lines input records instead of the speed.py corpus")
    parser.add_argument("--json", type=Path, help="write the report here as JSON")
    args = parser.parse_args(argv)
    report = measure(args)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    for lang, figures in report.items():
        print(f"- {lang}: {json.dumps(figures, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
