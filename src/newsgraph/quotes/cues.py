"""Attribution cues: speech verbs ("said", "a tweeté", "заявил") and source phrases ("according to X").

A cue is found outside quotations only (a verb inside quoted words is part of what was said) and
only in the body. A verb cue is skipped when it is passive ("he was told") or part of a hyphenated
word ("so-called"); one the tagger calls a noun or an adjective ("the report", "a call") is kept
aside for the one place where it can only be a verb: right after a quotation. So is a verb of going
on or of the manner of speaking ("continued", "yells", `after_verbs`), which elsewhere reports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.quotes.context import Context
from newsgraph.quotes.lexicon import QuoteLexicon, SourcePhrase
from newsgraph.quotes.phrase_index import FirstWordIndex, normal

NOT_VERBS = frozenset({"NOUN", "PROPN", "ADJ", "ADP", "DET", "PRON", "NUM", "PUNCT", "CCONJ", "SCONJ"})
NEVER_VERBS = frozenset({"ADP", "DET", "PRON", "NUM", "PUNCT", "CCONJ", "SCONJ"})
ATTRIBUTIVE = frozenset({"amod", "compound"})  # dependencies of a word that modifies a noun
ATTRIBUTIVE_GAP = 2  # words from an attributive participle to its noun ("a recording device")
SUBJECTS_PASSIVE = "nsubj:pass"  # the subject of a passive verb (Universal Dependencies)
AGENT = "obl:agent"  # the agent of a passive verb ("by X", "par X")
SLOT_MAX = 10  # tokens a source after (or before) its phrase may run to, up to a boundary
INSIDE_SLOT_MAX = 3  # tokens between the words of a phrase that encloses its source ("по его словам")


@dataclass(frozen=True)
class Cue:
    first: int  # token indices, inclusive
    last: int
    source: bool = False  # a source phrase (its speaker is `slot`), not a verb
    participle: bool = False  # a participle or gerund: no subject of its own
    # a speech verb the tagger took for a noun or adjective (it did not know "a tweeté"): a cue only right
    # after a quotation ("«…», a tweeté Shrier"), where nothing else fits
    untagged: bool = False
    slot: tuple[int, int] | None = None  # a source phrase's source, tokens inclusive
    trailing: bool = False  # a source that only follows what it attributes ("…, so Merz")
    passive: bool = False  # a passive verb whose agent is the source ("was first reported by the Post")
    governed: bool = False  # a verb and its preposition: its object is the content ("complained about")
    impersonal: bool = False  # a passive with no agent before its "that" ("it was announced that")


_normal = normal  # case-folded, the typographic apostrophe made plain


@dataclass(frozen=True)
class _Indexes:
    """A lexicon's phrases and source phrases by first word, built once per lexicon and process, and
    the single words any other cue needs (a token with none of them and no phrase starts no cue)."""

    lex: QuoteLexicon  # held so that its id is not reused while the entry lives
    phrases: FirstWordIndex
    sources: FirstWordIndex
    words: frozenset[str]  # attributors, speech verbs, speech nouns, verbs after a quotation


_INDEXES: dict[int, _Indexes] = {}


def _indexes(lex: QuoteLexicon) -> _Indexes:
    """The first-word indexes of `lex` (cached: a lexicon is built once per language and process)."""
    found = _INDEXES.get(id(lex))
    if found is None or found.lex is not lex:
        found = _Indexes(
            lex=lex,
            phrases=FirstWordIndex.of([w[0] if w else None for w in lex.phrases], lex.contractions),
            sources=FirstWordIndex.of([_first_word(phrase) for phrase in lex.sources], lex.contractions),
            words=lex.attributors | lex.verbs | lex.speech_nouns | lex.after_verbs,
        )
        _INDEXES[id(lex)] = found
    return found


def _first_word(phrase: SourcePhrase) -> str | None:
    """The word a source phrase's match starts with: its first word before the source, or, with none
    before, its first word after it."""
    words = phrase.before or phrase.after
    return words[0] if words else None


def _candidates(ctx: Context, i: int, index: FirstWordIndex) -> tuple[int, ...]:
    """Positions of the phrases of `index` that may start at token `i`."""
    return index.candidates(ctx.forms(i), ctx.tokens[i].text)


def find_cues(ctx: Context) -> list[Cue]:
    """The cues of the document in text order, phrases before single words where they overlap."""
    cues: list[Cue] = []
    indexes = _indexes(ctx.lex)
    for sent in range(len(ctx.analysis.sentences)):
        tokens = ctx.sentence_tokens(sent)
        i = tokens.start
        while i < tokens.stop:
            cue = _cue_at(ctx, i, tokens.stop) if _may_start(ctx, i, indexes) and _usable(ctx, i) else None
            if cue is None:
                i += 1
                continue
            cues.append(cue)
            i = max(cue.last, (cue.slot or (0, 0))[1]) + 1
    return cues


def _may_start(ctx: Context, i: int, indexes: _Indexes) -> bool:
    """False for a token no cue can start at: none of its forms is a cue word (every single-word rule
    of `_cue_at` asks for one) and no phrase or source phrase begins with it. Most tokens are such,
    and this is cheaper than asking each rule."""
    forms = ctx.forms(i)
    if not indexes.words.isdisjoint(forms):
        return True
    return bool(_candidates(ctx, i, indexes.sources) or _candidates(ctx, i, indexes.phrases))


def _usable(ctx: Context, i: int) -> bool:
    token = ctx.tokens[i]
    return ctx.is_word(i) and not ctx.in_quote(i) and ctx.doc.in_body(token.start, token.end)


def _cue_at(ctx: Context, i: int, stop: int) -> Cue | None:
    attributed = _attributor_at(ctx, i, stop)
    if attributed is not None:
        return attributed
    indexes = _indexes(ctx.lex)
    for k in _candidates(ctx, i, indexes.sources):
        cue = _source_at(ctx, i, stop, ctx.lex.sources[k])
        if cue is not None:
            return cue
    for k in _candidates(ctx, i, indexes.phrases):
        words = ctx.lex.phrases[k]
        end = _match_words(ctx, i, words, stop)
        if end is not None:
            return Cue(i, end - 1, participle=_is_participle(ctx, i), governed=words in ctx.lex.governed)
    if _is_noun_cue(ctx, i, stop):
        return Cue(i, i)
    passive = _passive_cue(ctx, i, stop)
    if passive is not None:
        return passive
    if _is_verb_cue(ctx, i):
        return Cue(i, i, participle=_is_participle(ctx, i), untagged=ctx.tokens[i].pos in NOT_VERBS)
    if _is_impersonal(ctx, i, stop):
        return Cue(i, i, impersonal=True)
    if _is_after_verb(ctx, i):  # "“…,” she continued": kept, like an untagged verb, for after a quotation
        return Cue(i, i, participle=_is_participle(ctx, i), untagged=True)
    return None


def _is_after_verb(ctx: Context, i: int) -> bool:
    """ "continued", "yells", "poursuit": a verb that cues only the quotation right before it."""
    return (
        any(form in ctx.lex.after_verbs for form in ctx.forms(i))
        and ctx.tokens[i].pos not in NEVER_VERBS
        and not _in_name(ctx, i)
    )


def _is_noun_cue(ctx: Context, i: int, stop: int) -> bool:
    """ "Trump's claim that …", "a New York Times report that …", "his plan to …": a speech noun right
    before the word that opens its content, after its owner (a possessive or a name)."""
    if i + 1 >= stop or i == 0 or not set(ctx.forms(i)) & ctx.lex.speech_nouns:
        return False
    if ctx.tokens[i].pos not in ("NOUN", ""):
        return False
    following = set(ctx.forms(i + 1))
    if not following & (ctx.lex.complementizers | ctx.lex.noun_links):
        return False
    before = ctx.tokens[i - 1]
    owner = ctx.mention_at(max(0, before.end - 1))
    return (
        before.dep.startswith("nmod:poss")
        or before.text in ("'s", "’s", "'", "’")
        or (owner is not None and owner.type in ("PER", "ORG"))
    )


def _attributor_at(ctx: Context, i: int, stop: int) -> Cue | None:
    """ "…, so Merz im Januar": an attributor after a comma and right before a person or organisation
    names the source of the clause before it, without a verb."""
    if ctx.word(i) not in ctx.lex.attributors or i == 0 or ctx.tokens[i - 1].text != "," or i + 1 >= stop:
        return None
    mention = ctx.mention_at(ctx.tokens[i + 1].start)
    if mention is not None and mention.type in ("PER", "ORG") and mention.start == ctx.tokens[i + 1].start:
        end = mention.end
    elif mention is None and ctx.tokens[i + 1].text[:1].isupper():  # a name the recogniser missed
        end = ctx.tokens[i + 1].end
    else:
        return None
    last = i + 1
    while last + 1 < stop and ctx.tokens[last + 1].end <= end:
        last += 1
    return Cue(i, i, source=True, slot=(i + 1, last), trailing=True)


def _is_verb_cue(ctx: Context, i: int) -> bool:
    if not any(form in ctx.lex.verbs for form in ctx.forms(i)) or ctx.tokens[i].pos in NEVER_VERBS:
        return False
    if _in_name(ctx, i):
        return False  # "Said Jalili", "Klaus Sagt": a name that is also a speech verb says nothing
    if _is_attributive(ctx, i) or _has_particle(ctx, i):
        return False
    if i == 0:
        return True
    previous = ctx.tokens[i - 1]
    in_compound = previous.text == "-" and previous.end == ctx.tokens[i].start  # "so-called", "self-declared"
    passive = previous.text.casefold() in ctx.lex.passive and not _is_participle(ctx, i)  # not "is saying"
    return not in_compound and not passive


def _is_impersonal(ctx: Context, i: int, stop: int) -> bool:
    """ "It was announced that …", "il a été annoncé que …", "è stato annunciato che …": a passive speech
    verb right before its complementizer reports the clause with no one named as its source."""
    if i == 0 or i + 1 >= stop or ctx.tokens[i].pos in NEVER_VERBS or _in_name(ctx, i):
        return False
    if not any(form in ctx.lex.verbs for form in ctx.forms(i)):
        return False
    after = i + 2 if ctx.tokens[i + 1].text == "," and i + 2 < stop else i + 1  # "Es wurde angekündigt, dass"
    return ctx.tokens[i - 1].text.casefold() in ctx.lex.passive and ctx.is_complementizer(after)


def _passive_cue(ctx: Context, i: int, stop: int) -> Cue | None:
    """A passive speech verb with its agent ("the issue was first reported by the Post", "la réforme a
    été annoncée par le ministre"): the agent is the source, and what the passive subject names is what
    the source said or thought. Needs a parse (the agent's dependency); elsewhere it finds nothing."""
    if not any(form in ctx.lex.verbs for form in ctx.forms(i)) or ctx.tokens[i].pos not in ("VERB", "AUX"):
        return None
    if _in_name(ctx, i) or not any(c.dep.startswith(SUBJECTS_PASSIVE) for c in ctx.analysis.children(i)):
        return None
    agents = [c for c in ctx.analysis.children(i) if c.dep == AGENT and not ctx.in_quote(c.i)]
    if not agents:
        return None
    start, end = ctx.analysis.subtree_span(agents[0].i)
    tokens = [t.i for t in ctx.analysis.tokens_in((start, end)) if t.i < stop and t.pos != "ADP"]
    if not tokens:
        return None
    return Cue(i, i, source=True, slot=(tokens[0], tokens[-1]), passive=True)


def _is_attributive(ctx: Context, i: int) -> bool:
    """True for a participle set before the noun it modifies ("a recording device", "an accepted
    definition", "die angekündigte Reform"): it describes the noun, nobody says anything through it."""
    token = ctx.tokens[i]
    return token.dep.split(":")[0] in ATTRIBUTIVE and i < token.head <= i + ATTRIBUTIVE_GAP


def _has_particle(ctx: Context, i: int) -> bool:
    """True for a verb with a particle that no listed phrase covers ("showed up", "backed down", "offer
    up"): a particle makes another verb, which says nothing (listed ones, "point out", matched first)."""
    return any(c.dep == "compound:prt" for c in ctx.analysis.children(i))


def _in_name(ctx: Context, i: int) -> bool:
    """True when token `i` lies inside the name of a person or organisation."""
    mention = ctx.mention_at(ctx.tokens[i].start)
    return mention is not None and mention.type in ("PER", "ORG") and ctx.tokens[i].end <= mention.end


def _is_participle(ctx: Context, i: int) -> bool:
    word = ctx.word(i)
    return word != ctx.tokens[i].lemma.casefold() and word.endswith(ctx.lex.participle_endings)


def _source_at(ctx: Context, i: int, stop: int, phrase: SourcePhrase) -> Cue | None:
    if phrase.before:
        end = _match_words(ctx, i, phrase.before, stop)
        if end is None:
            return None
        if not phrase.after:
            slot_end = _run_to_boundary(ctx, end, stop)
            return Cue(i, end - 1, source=True, slot=(end, slot_end - 1)) if slot_end > end else None
        for slot_end in range(end + 1, min(end + INSIDE_SLOT_MAX, stop) + 1):
            after = _match_words(ctx, slot_end, phrase.after, stop)
            if after is not None:
                return Cue(i, after - 1, source=True, slot=(end, slot_end - 1))
        return None
    end = _match_words(ctx, i, phrase.after, stop)
    if end is None:
        return None
    slot_start = _run_back_to_boundary(ctx, i, ctx.sentence_tokens(ctx.tokens[i].sent).start)
    return Cue(i, end - 1, source=True, slot=(slot_start, i - 1)) if slot_start < i else None


def _run_to_boundary(ctx: Context, i: int, stop: int) -> int:
    """Index after the run of words from `i` up to the next boundary (at most SLOT_MAX tokens)."""
    end = i
    while end < min(stop, i + SLOT_MAX) and not ctx.is_boundary(end) and not ctx.in_quote(end):
        end += 1
    return end


def _run_back_to_boundary(ctx: Context, i: int, start: int) -> int:
    first = i
    while first > max(start, i - SLOT_MAX) and not ctx.is_boundary(first - 1) and not ctx.in_quote(first - 1):
        first -= 1
    return first


def _match_words(ctx: Context, i: int, words: tuple[str, ...], stop: int) -> int | None:
    """Index after the tokens from `i` that spell `words` (as lemmas or forms), or None. A word the
    model split into adjacent tokens ("d'après" -> "d'", "après") still matches."""
    j: int | None = i
    for word in words:
        j = _match_word(ctx, j, _normal(word), stop) if j is not None else None
    return j


def _match_word(ctx: Context, j: int, word: str, stop: int) -> int | None:
    if j >= stop:
        return None
    forms = {_normal(f) for f in ctx.forms(j)}
    if word in forms or any(ctx.lex.contractions.get(f) == word for f in forms):  # "parlé des" = "parler de"
        return j + 1
    spelled, k = "", j
    while k < stop and len(spelled) < len(word):
        if k > j and ctx.tokens[k].start != ctx.tokens[k - 1].end:
            return None
        spelled += _normal(ctx.tokens[k].text)
        k += 1
    return k if spelled == word else None
