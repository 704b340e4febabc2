"""What the words around a trigger say about its event: negation, context and mode.

- negation: a negative word on the trigger or its auxiliaries ("did not meet", "n'a pas
  rencontré", "не встретился"), or a refusing governor ("refused to meet");
- context: "future" (a future tense, "will", a planning governor: "plans to visit"),
  "hypothetical" (a conditional, "could", "if"), "intended" (a purpose clause, without a parse:
  "um … zu treffen", "… yer almak için"), "reported" ("according to", "selon");
- mode: the trigger's own mode ("telephoned"), else the nearest cue of the sentence ("met …
  during a visit"); modes listed as weak ("meet") give way to any other cue.

Which date an event takes is decided in `newsgraph.events.when`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsgraph.events.lexicon import Lexicon
from newsgraph.events.triggers import Match, find_cues, keys
from newsgraph.language.syntax import Analysis, Token

FUTURE, HYPOTHETICAL, REPORTED = "future", "hypothetical", "reported"
INTENDED = "intended"  # the aim of another act ("came to Warsaw to meet Tusk"): not reported as done
BEFORE_TRIGGER = (
    5  # tokens before a trigger that a cue may stand in, without a parse ("wird X nächste Woche treffen")
)
AFTER_TRIGGER = (
    4  # tokens after a trigger whose verb ending may show its tense ("conversaciones con X se retomarían")
)
CLAUSE_BEFORE = 12  # words of a clause a verb-final trigger may end (`clause_final_verb`)
NOUN_AFTER = 8  # tokens after a noun trigger a scheduling word may stand in ("talks … are scheduled for")
CLAUSE_PUNCT = frozenset({";", "؛", ":", "(", ")", "—", "–", "«", "»"})  # end the trigger's clause
COMMAS = frozenset({",", "،"})  # Latin and Arabic-script commas
CLIMB_RELATIONS = frozenset({"xcomp", "ccomp", "csubj"})
MODIFIER_RELATIONS = frozenset(
    {
        "aux",
        "aux:pass",
        "aux:tense",
        "advmod",
        "neg",
        "mark",
        "cop",
        "det",
        "expl",
        "compound:prt",
        "discourse",
        "cc",
    }
)

PREDICATES = ("VERB", "AUX", "ADJ")  # what a noun trigger's clause may be predicated by
# How a mode was found, best first.
OWN, SENTENCE, NEIGHBOUR, WEAK = 0, 1, 2, 3


class Attributes:
    def __init__(self, analysis: Analysis, lex: Lexicon):
        self.analysis = analysis
        self.lex = lex

    # -------------------------------------------------------------------------- scope
    def predicate(self, trigger: Token, noun: bool) -> list[Token]:
        """The trigger and, for a noun, the verb it depends on, perhaps through the noun it modifies
        ("did not hold talks", "a new round of talks is scheduled"), or the adjective that is its
        predicate ("ready for talks", "готовы к переговорам", "prêts à des négociations"): such a
        word says whether the talks took place as a verb would (`heads`: readiness is no contact)."""
        chain = [trigger]
        governor = self.analysis.tokens[trigger.head]
        if noun and governor.pos == "NOUN" and trigger.dep.startswith("nmod") and governor.head != governor.i:
            governor = self.analysis.tokens[
                governor.head
            ]  # "раунд переговоров … назначен", "round of talks set"
        if noun and governor.i != trigger.i and governor.pos in PREDICATES:
            chain.append(governor)
        return chain

    def modifiers(self, chain: Iterable[Token]) -> list[Token]:
        return [c for token in chain for c in self.analysis.children(token.i) if c.dep in MODIFIER_RELATIONS]

    def governors(self, token: Token) -> list[Token]:
        """The verbs a clause complement hangs from: "refused [to meet]", "plans [to visit]"."""
        out = []
        while token.dep in CLIMB_RELATIONS and token.head != token.i:
            token = self.analysis.tokens[token.head]
            out.append(token)
        return out

    def before(self, sentence: Sequence[Token], match: Match) -> list[Token]:
        first = match.positions[0]
        return list(sentence[max(0, first - BEFORE_TRIGGER) : first])

    def clause_before(self, sentence: Sequence[Token], match: Match) -> list[Token]:
        """The words of a verb trigger's clause before it, back to a comma or clause mark (at most
        `CLAUSE_BEFORE`), in a language whose verb ends its clause (`clause_final_verb`): "er wolle nach
        der Wahl im Herbst Rom und Madrid besuchen" puts its modal 8 words before the verb."""
        first = match.positions[0]
        out: list[Token] = []
        for token in reversed(sentence[max(0, first - CLAUSE_BEFORE) : first]):
            if token.text in CLAUSE_PUNCT or token.text in COMMAS:
                break
            out.insert(0, token)
        return out

    # -------------------------------------------------------------------------- negation, context
    def negated(self, trigger: Token, noun: bool, sentence: Sequence[Token], match: Match) -> bool:
        negation = self.lex.marker("negation")
        if not trigger.dep:
            return any(set(keys(t)) & negation for t in self.before(sentence, match))
        chain = self.predicate(trigger, noun)
        if any(set(keys(t)) & negation for t in self.modifiers(chain)):
            return True
        refusing = self.lex.heads.get("negation", frozenset())
        return any(g.lemma.casefold() in refusing for g in self.governors(chain[-1]))

    def context(self, trigger: Token, noun: bool, sentence: Sequence[Token], match: Match) -> list[str]:
        out = []
        endings: set[str] = (
            set()
        )  # contexts whose verb ending the trigger or the words before it show (no parse)
        intended = False  # a purpose clause, without a parse
        if trigger.dep:
            chain = self.predicate(trigger, noun)
            words = {k for t in self.modifiers(chain) for k in keys(t)}
            governors = self.governors(chain[-1])
            features = [*chain, *(t for t in self.modifiers(chain) if t.dep.startswith("aux")), *governors]
        else:
            before = self.before(sentence, match)
            words = {k for t in before for k in keys(t)}
            if self.lex.clause_final_verb and not noun:
                words |= {k for t in self.clause_before(sentence, match) for k in keys(t)}
            chain, governors, features = [trigger], [], [trigger]
            last = match.positions[-1]
            near = [
                *before,
                trigger,
                *sentence[last + 1 : last + 1 + AFTER_TRIGGER],
            ]  # "conversaciones se retomarían"
            endings = {name for name in (FUTURE, HYPOTHETICAL) if self.ends_in(name, near)}
            if noun:
                # "talks with X are scheduled for Friday": the noun's own predicate comes after it
                words |= {k for t in self.clause_after(sentence, last) for k in keys(t)}
            after = {k for t in sentence[last + 1 : last + 1 + AFTER_TRIGGER] for k in keys(t)}
            purpose = self.lex.marker("purpose")
            # "um … zu treffen", "para reunirse", "görüşmeler … yapmak için": what someone set out to do
            if (not noun and words & purpose) or (self.lex.head_final and after & purpose):
                intended = True
        marker_sets = ((FUTURE, ("future",)), (HYPOTHETICAL, ("hypothetical", "mark_hypothetical")))
        for name, marker_names in marker_sets:
            markers = frozenset().union(*(self.lex.marker(m) for m in marker_names))
            heads = self.lex.heads.get(name, frozenset())
            if (
                words & markers
                or name in endings
                or any(heads & {g.lemma.casefold(), g.text.casefold()} for g in (*chain[1:], *governors))
                or self.has_feature(features, name)
            ):
                out.append(name)
        if intended and not out:
            out.append(INTENDED)
        if find_cues(sentence, self.lex.cues.get(REPORTED, ())):
            out.append(REPORTED)
        if HYPOTHETICAL in out and FUTURE in out:
            out.remove(FUTURE)  # "would meet if", "devrait rencontrer": the condition is what matters
        return out

    def clause_after(self, sentence: Sequence[Token], last: int) -> list[Token]:
        """The words after a noun trigger that still belong to its clause, without a parse: at most
        NOUN_AFTER, up to a clause break (";", a bracket, a comma before a conjunction or a relative
        word), so that "talks …, which the minister will attend" does not make the talks planned."""
        breaks = self.lex.marker("and") | self.lex.marker("relative") | self.lex.marker("relative_place")
        out: list[Token] = []
        window = sentence[last + 1 : last + 1 + NOUN_AFTER]
        for index, token in enumerate(window):
            if token.text in CLAUSE_PUNCT:
                break
            if token.text in COMMAS:
                following = window[index + 1] if index + 1 < len(window) else None
                if following is None or set(keys(following)) & breaks:
                    break
            out.append(token)
        return out

    def ends_in(self, context: str, tokens: Iterable[Token]) -> bool:
        """True when a word ends in an ending of `context` (Turkish "görüşecek", Italian "incontrerà",
        Spanish "se retomarían"): without a parser the lemma has lost the tense, the written form
        still shows it."""
        endings = self.lex.suffixes.get(context, ())
        # a name is no verb form ("Irán" does not end in the future "-rán")
        return any(t.text[:1].islower() and t.text.casefold().endswith(endings) for t in tokens)

    def has_feature(self, tokens: Iterable[Token], context: str) -> bool:
        features = self.lex.morph.get(context, ())
        return any(t.morph.get(name) == value for t in tokens for name, value in features)

    # -------------------------------------------------------------------------- mode
    def mode(
        self, match: Match, sentence: Sequence[Token], others: Sequence[Match]
    ) -> tuple[str | None, int]:
        """The mode of a trigger and how it was found (OWN, SENTENCE, WEAK; None when no cue)."""
        type_ = match.entry.type
        cues = self.lex.mode_cues(type_)
        if not cues:
            return None, WEAK
        weak = self.lex.weak_modes.get(type_, frozenset())
        found = self.cues(type_, sentence, others)
        # a trigger that is a cue gives its mode even where a compound hides it ("Antrittsbesuch")
        found += [(mode, match.positions) for mode, cue in cues if cue == match.entry.phrase]
        if not found:
            return None, WEAK
        own = set(match.positions)

        def rank(item: tuple[str, tuple[int, ...]]) -> tuple[int, int, int]:
            mode, positions = item
            distance = min(abs(p - q) for p in positions for q in own)
            return (mode in weak, 0 if set(positions) & own else 1, distance)

        mode, positions = min(found, key=rank)
        if mode in weak:
            return mode, WEAK
        return mode, OWN if set(positions) & own else SENTENCE

    def sentence_mode(self, type_: str, sentence: Sequence[Token], others: Sequence[Match]) -> str | None:
        """A strong mode cue anywhere in a sentence (for an event of a neighbouring sentence)."""
        weak = self.lex.weak_modes.get(type_, frozenset())
        return next((mode for mode, _ in self.cues(type_, sentence, others) if mode not in weak), None)

    def cues(
        self, type_: str, sentence: Sequence[Token], matches: Sequence[Match]
    ) -> list[tuple[str, tuple[int, ...]]]:
        """(mode, positions) of the mode cues of a sentence, leaving out those inside another type's
        trigger (the "call" of "call for" says nothing about a meeting)."""
        cues = self.lex.mode_cues(type_)
        by_phrase = {phrase: mode for mode, phrase in cues}
        foreign = {p for m in matches if m.entry.type != type_ for p in m.positions}
        return [
            (by_phrase[phrase], positions)
            for phrase, positions in find_cues(sentence, list(by_phrase))
            if not set(positions) & foreign
        ]


def owning_trigger(analysis: Analysis, token: Token, triggers: frozenset[int]) -> int | None:
    """The first trigger on the way from a token up to its sentence's root."""
    return next((t.i for t in (token, *analysis.ancestors(token.i)) if t.i in triggers), None)
