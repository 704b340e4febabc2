"""Quotations (words in quotation marks) and the cues and speakers they belong to.

In text order, a quotation takes the cue just before it when it follows that cue closely and ends
its clause ("said: “…”"; with the cue's complement before it, "a appelé le président à ''…''",
"called his supporters “deplorables”", all of that complement), otherwise the cue just after it
("“…,” Revesz said", "«…», a tweeté Ashkenazi", "«…» — заявил он"), or the name after a dash or
an attributor ("”…” ― Sonya Herridge", "„…“, so Scholz"). When the words between the cue and the
quotation open a clause that the quotation ends ("said Democrats are to blame for “…”"), the whole
clause is reported speech that quotes some words. A quotation continued after its cue ("“A,” he
said, “B.”", "“A,” he said. “B.”") joins the first part; one in a later paragraph with no cue
between inherits its speaker. Any other quotation is scored by length: a long one is still a
quotation, a few words are scare quotes or a title.
"""

from __future__ import annotations

from newsgraph.model import Span
from newsgraph.quotes.attribution import (
    INHERITED,
    NAMED_AFTER_DASH,
    UNCUED_LONG,
    UNCUED_SHORT,
    Attributor,
    Frame,
)
from newsgraph.quotes.context import trimmed
from newsgraph.quotes.cues import Cue
from newsgraph.quotes.marks import Quoted
from newsgraph.quotes.reported import content_after
from newsgraph.quotes.speakers import SPEAKER_TYPES, Speaker

AFTER_GAP_MAX = 16  # words between a quotation and the cue after it ("“…,” Scott Pruitt, the …, said")
ORPHAN_GAP_MAX = 3  # the same for a closing mark that closed nothing ("…axe du mal », a déclaré")
LEAD_MAX = 12  # words between a cue and the quotation it introduces ("a appelé le président israélien à")
UNTAGGED_LEAD_MAX = 6  # without parts of speech, a longer lead is taken for a clause the quotation ends
CLAUSE_POS = frozenset({"VERB", "AUX"})
INHERIT_SENTENCES = 2  # sentences after a quotation within which an uncued one inherits its speaker
LONG_QUOTE_WORDS = 6  # an uncued quotation this long is no scare quote
MIN_SENTENCE_WORDS = 3  # nor is a shorter one that holds a sentence end ("Not going to go into that.")
MIN_ORPHAN_WORDS = 2
SENTENCE_ENDS = ".!?"
SIGNATURE_WORDS = (2, 5)  # words of a name that signs a quotation after a dash, alone on the rest of its line
CAPTION_WORDS_MAX = 8  # a line above a quotation this short, opening with a name, is its speaker's caption


def quotation_frames(attr: Attributor, orphans: list[Span]) -> list[Frame]:
    """A frame for each quotation in the body (and for each closing mark a cue follows)."""
    ctx = attr.ctx
    frames: list[Frame] = []
    previous: Frame | None = None
    for quote in ctx.quoted:
        if not ctx.doc.in_body(quote.start, quote.end) or not ctx.words_in(quote.inner):
            continue
        frame = _cued(attr, quote, previous) or _uncued(attr, quote, previous)
        if frame is not previous:
            frames.append(frame)
        previous = frame
    frames += [f for f in (_orphan(attr, o) for o in orphans) if f is not None]
    return frames


def _cued(attr: Attributor, quote: Quoted, previous: Frame | None) -> Frame | None:
    ctx = attr.ctx
    inner = trimmed(ctx.text, quote.inner)
    before = _cue_before(attr, quote)
    if before is not None and before in attr.used:
        frame = attr.used[before]
        if previous is frame:  # "“A,” he said, “B.”"
            frame.content = (frame.content[0], inner[1])
            return frame
    elif before is not None:
        lead = range(before.last + 1, ctx.first_token_from(quote.start) or 0)
        if _embeds(attr, lead) or _complement(attr, lead):
            mixed = attr.attach(before, _mixed(attr, before, lead, quote), direct=False, content_before=False)
            mixed.quoting = True
            return mixed
        return attr.attach(before, inner, direct=True, content_before=False)
    after = _cue_after(attr, quote.end, quote.start)
    if after is not None:
        frame = attr.attach(after, inner, direct=True, content_before=True)
        whole = _with_own_words(attr, quote, after)
        said_by = frame.speaker.span if frame.speaker is not None else None
        if said_by is None or not whole[0] <= said_by[0] < whole[1]:  # "Medinskiy, “…” dedi": no lead
            frame.content = whole
        return frame
    within = _cue_in_clause(attr, quote) if before is None else None
    if within is not None:  # "ha descrito el resultado como “…” para continuar"
        sentence = ctx.sentence_tokens(ctx.tokens[within.first].sent)
        content = content_after(attr, within, sentence) or _clause_after(attr, within, quote)
        return attr.attach(within, content, direct=False, content_before=False)
    named = _named_after(attr, quote.end) or _introduced(attr, quote) or _captioned(attr, quote)
    if named is not None:
        mark, speaker = named
        return Frame(inner, True, NAMED_AFTER_DASH, mark, speaker)
    return None


def _with_own_words(attr: Attributor, quote: Quoted, cue: Cue) -> Span:
    """The quotation with the unquoted words of its sentence that belong to the same report ("With
    thousands of systems, “there is no single point of failure,” he said"; "“You squeezed them” to
    drive up the price, she said"): from the sentence start when no cue or other quotation stands
    before it, and up to the boundary that opens the cue's clause."""
    ctx = attr.ctx
    inner = trimmed(ctx.text, quote.inner)
    first, last = ctx.first_token_from(quote.start), ctx.first_token_from(quote.end)
    if first is None or last is None:
        return inner
    start, end = inner
    sentence = ctx.sentence_tokens(ctx.tokens[cue.first].sent)
    lead = range(sentence.start, first)
    if (
        ctx.tokens[first].sent == ctx.tokens[cue.first].sent
        and ctx.words_between(lead.start, lead.stop)
        and not attr.has_cue(lead.start, lead.stop)
        and not any(ctx.in_quote(i) for i in lead)
    ):
        start = ctx.tokens[sentence.start].start
    boundary = max(
        (i for i in range(last, cue.first) if ctx.is_boundary(i) and not ctx.is_quote_mark(i)), default=None
    )
    if (
        boundary is not None
        and ctx.words_between(last, boundary)
        and not any(ctx.in_quote(i) for i in range(last, boundary))
    ):
        end = ctx.tokens[boundary - 1].end
    return trimmed(ctx.text, (start, end)) if (start, end) != inner else inner


def _captioned(attr: Attributor, quote: Quoted) -> tuple[Span, Speaker] | None:
    """A quotation that opens its paragraph under a short line that names a person ("Dmitri Peskov,
    Kremlin spokesman:" above "“…”"): the caption names the speaker."""
    ctx = attr.ctx
    text = ctx.text
    line_start = text.rfind("\n", 0, quote.start) + 1
    if text[line_start : quote.start].strip():
        return None
    previous_end = line_start - 1
    while previous_end > 0 and text[previous_end - 1].isspace():
        previous_end -= 1
    previous_start = text.rfind("\n", 0, previous_end) + 1
    caption = text[previous_start:previous_end]
    if not caption or len(caption.split()) > CAPTION_WORDS_MAX or caption[-1] in SENTENCE_ENDS:
        return None
    mention = ctx.mention_at(previous_start)
    if mention is None or mention.type != "PER" or mention.start != previous_start:
        return None
    if not ctx.doc.in_body(previous_start, previous_end):
        return None
    return (previous_start, previous_end), Speaker((mention.start, mention.end), mention.entity)


def _introduced(attr: Attributor, quote: Quoted) -> tuple[Span, Speaker] | None:
    """ "Carla Neri, ministra della Cultura, affida il suo pensiero ai social: “…”": a quotation
    that a colon introduces and that ends its sentence, in a sentence that opens with a person or
    organisation, is that subject's words even when no speech verb stands between them."""
    ctx = attr.ctx
    i = ctx.first_token_from(quote.start)
    if i is None or i == 0 or ctx.tokens[i - 1].text != ":" or not ctx.ends_clause(quote.end):
        return None
    colon = ctx.tokens[i - 1]
    first = ctx.sentence_tokens(colon.sent).start
    mention = ctx.mention_at(ctx.tokens[first].start)
    if mention is None or mention.type not in SPEAKER_TYPES or mention.start != ctx.tokens[first].start:
        return None
    return (colon.start, colon.end), Speaker((mention.start, mention.end), mention.entity)


def _uncued(attr: Attributor, quote: Quoted, previous: Frame | None) -> Frame:
    ctx = attr.ctx
    inner = trimmed(ctx.text, quote.inner)
    words = ctx.words_in(inner)
    long = words >= LONG_QUOTE_WORDS or (
        words >= MIN_SENTENCE_WORDS and any(c in SENTENCE_ENDS for c in ctx.text[inner[0] : inner[1]])
    )
    if (
        long
        and previous is not None
        and previous.speaker is not None
        and ctx.begins_clause(quote.start)
        and _follows_closely(attr, previous, quote.start)
    ):  # a reported clause that quotes some words may go on, too: 'X is "A," says Y. "B."'
        if previous.direct and "\n" not in ctx.text[previous.content[1] : inner[0]]:  # "“A,” he said. “B.”"
            previous.content = (previous.content[0], inner[1])
            return previous
        return Frame(inner, True, INHERITED, previous.cue, previous.speaker)
    return Frame(inner, True, UNCUED_LONG if long else UNCUED_SHORT)


def _orphan(attr: Attributor, closing: Span) -> Frame | None:
    """A quotation whose opening mark was lost: from its sentence's start, when a cue follows it."""
    ctx = attr.ctx
    sent = ctx.analysis.sentence_of(closing[0])
    if sent is None:
        return None
    start = ctx.analysis.sentences[sent][0]
    content = trimmed(ctx.text, (start, closing[0]))
    after = _cue_after(attr, closing[1], start, ORPHAN_GAP_MAX)
    if after is None or ctx.words_in(content) < MIN_ORPHAN_WORDS:
        return None
    return attr.attach(after, content, direct=True, content_before=True)


def _embeds(attr: Attributor, lead: range) -> bool:
    """True when the words between a cue and a quotation begin a clause that goes on inside it
    ("said Democrats are to blame for “…”", "a souligné qu'ils « … »")."""
    ctx = attr.ctx
    if any(ctx.is_complementizer(i) for i in lead):
        return True
    if any(ctx.tokens[i].pos for i in lead):
        return any(ctx.tokens[i].pos in CLAUSE_POS for i in lead)
    return ctx.words_between(lead.start, lead.stop) > UNTAGGED_LEAD_MAX


def _complement(attr: Attributor, lead: range) -> bool:
    """True when words with no boundary among them stand between a cue and the quotation that ends its
    clause ("called half of his supporters “deplorables”", "referred to her “sex tape”"): the cue's
    complement begins before the quotation, and what the cue reports is all of it."""
    ctx = attr.ctx
    return ctx.words_between(lead.start, lead.stop) > 0 and not any(
        ctx.is_boundary(i) and not ctx.is_quote_mark(i) for i in lead
    )


def _mixed(attr: Attributor, cue: Cue, lead: range, quote: Quoted) -> Span:
    """From the start of the embedded clause (after its complementizer) to the end of the quotation;
    from the sentence start when the cue stands between commas ("X, he added, is like “…”")."""
    ctx = attr.ctx
    if lead and ctx.is_boundary(lead.start) and not ctx.is_quote_mark(lead.start):
        start = ctx.sentence_tokens(ctx.tokens[cue.first].sent).start
    else:
        start = lead.start + 1 if lead and ctx.is_complementizer(lead.start) else lead.start
    return trimmed(ctx.text, (ctx.tokens[start].start, quote.end))


def _cue_before(attr: Attributor, quote: Quoted) -> Cue | None:
    """The cue that introduces `quote`: close before it, in its sentence (or ending the sentence
    before with a colon), when the quotation ends its clause; a cue kept for quotations only
    (`Cue.untagged`) when nothing but a comma or colon stands between."""
    ctx = attr.ctx
    sent = ctx.analysis.sentence_of(quote.start)
    if sent is None or not ctx.ends_clause(quote.end):
        return None
    for cue in reversed(attr.after_quotes):
        end = ctx.tokens[cue.last].end
        if end > quote.start:
            continue
        between = ctx.analysis.tokens_in((end, quote.start))
        if cue.untagged and any(ctx.is_word(t.i) or t.text not in ",:" for t in between):
            continue  # "She continued, “…”": a cue kept for quotations only, right before one
        if any(ctx.ends_sentence(t.i) or ctx.in_quote(t.i) for t in between):
            return None
        if ctx.tokens[cue.first].sent != sent and not (between and between[-1].text == ":"):
            return None
        return cue if sum(ctx.is_word(t.i) for t in between) <= LEAD_MAX else None
    return None


def _cue_in_clause(attr: Attributor, quote: Quoted) -> Cue | None:
    """An unused cue before `quote` in the same clause, for a quotation that does not end its clause
    ("X a qualifié l'accord de « … » pour la région"): the cue's clause reports the quoted words."""
    ctx = attr.ctx
    i = ctx.first_token_from(quote.start)
    if i is None:
        return None
    sent = ctx.tokens[i].sent
    for cue in reversed(attr.cues):
        if ctx.tokens[cue.last].end > quote.start:
            continue
        lead = range(cue.last + 1, i)
        if (
            cue in attr.used
            or cue.source
            or not lead
            or _embeds(attr, lead)
            or ctx.tokens[cue.first].sent != sent
            or any(ctx.is_boundary(k) or ctx.in_quote(k) for k in lead)
            or ctx.words_between(lead.start, lead.stop) > LEAD_MAX
        ):
            return None
        return cue
    return None


def _clause_after(attr: Attributor, cue: Cue, quote: Quoted) -> Span:
    """From the word after `cue` to the end of the clause that holds `quote`."""
    ctx = attr.ctx
    sentence = ctx.sentence_tokens(ctx.tokens[cue.first].sent)
    first_after = ctx.first_token_from(quote.end)
    stop = sentence.stop if first_after is None else ctx.clause_end(first_after, sentence.stop)
    return trimmed(ctx.text, (ctx.tokens[cue.last + 1].start, ctx.tokens[max(cue.last + 1, stop - 1)].end))


def _cue_after(attr: Attributor, end: int, start: int, gap_max: int = AFTER_GAP_MAX) -> Cue | None:
    """The unused cue at most `gap_max` words after a quotation that ends at `end`, in its sentence,
    when the quotation begins a clause at `start`."""
    ctx = attr.ctx
    first_after = ctx.first_token_from(end)
    sent = ctx.sentence_at(end - 1)
    if first_after is not None and ctx.tokens[first_after].sent != sent and _asks_or_exclaims(ctx.text, end):
        sent = ctx.tokens[
            first_after
        ].sent  # "“How long must we wait?” Jones asked.": the splitter cut at "?”"
    if first_after is None or ctx.tokens[first_after].sent != sent or not ctx.begins_clause(start):
        return None
    for cue in attr.after_quotes:
        if ctx.tokens[cue.first].start < end:
            continue
        if cue in attr.used or ctx.tokens[cue.first].sent != sent:
            return None
        between = range(first_after, cue.first)
        if any(ctx.ends_sentence(i) or ctx.in_quote(i) for i in between):
            return None
        return cue if ctx.words_between(first_after, cue.first) <= gap_max else None
    return None


def _asks_or_exclaims(text: str, end: int) -> bool:
    """True when the quotation ending at `end` ends in "?" or "!" inside its marks and a lower-case word
    or a name and verb may follow it in the same sentence, which a sentence splitter cuts there."""
    inside = text[max(0, end - 4) : end].rstrip()
    while inside and not inside[-1].isalnum() and inside[-1] not in "?!…":
        inside = inside[:-1]
    return inside.endswith(("?", "!"))


def _named_after(attr: Attributor, end: int) -> tuple[Span, Speaker] | None:
    """A dash or attributor and a person's name right after a quotation ("”…” ― Name", "„…“, so X");
    the dash may touch the closing mark ("”― Name") or the name ("―Name")."""
    ctx = attr.ctx
    text = ctx.text
    k = end
    while k < len(text) and text[k] in " \t\u00a0,":
        k += 1
    dash = next((d for d in sorted(ctx.lex.dashes, key=len, reverse=True) if text.startswith(d, k)), None)
    if dash is not None:
        mark = (k, k + len(dash))
    else:
        i = ctx.first_token_from(k)
        if i is None or ctx.tokens[i].start != k or ctx.tokens[i].text.casefold() not in ctx.lex.attributors:
            return None
        mark = (ctx.tokens[i].start, ctx.tokens[i].end)
    k = mark[1]
    while k < len(text) and text[k] in " \t\u00a0":
        k += 1
    mention = ctx.mention_at(k)
    if (
        mention is None
        or mention.type != "PER"
        or mention.end <= k
        or text[mention.start : k].strip(" \u00a0" + "".join(ctx.lex.dashes))
    ):
        signed = _signature(text, k) if dash is not None else None
        return (mark, Speaker(signed)) if signed is not None else None
    return mark, Speaker((k, mention.end), mention.entity)


def _signature(text: str, start: int) -> Span | None:
    """ "”…” ― Christina N Lastra" at the end of its line: capitalised words alone after the dash sign
    the quotation even when the recogniser did not take them for a person."""
    line_end = text.find("\n", start)
    end = len(text) if line_end < 0 else line_end
    while end > start and (text[end - 1].isspace() or text[end - 1] == "."):
        end -= 1
    words = text[start:end].split()
    if not SIGNATURE_WORDS[0] <= len(words) <= SIGNATURE_WORDS[1]:
        return None
    if not all(w[0].isupper() and w.rstrip(".").replace("-", "").replace("'", "").isalpha() for w in words):
        return None
    return start, end


def _follows_closely(attr: Attributor, previous: Frame, start: int) -> bool:
    """True when a quotation at `start` comes soon after `previous`, with no cue between."""
    ctx = attr.ctx
    gap_start = max(previous.content[1], previous.cue[1] if previous.cue else 0)
    cue_sent = ctx.analysis.sentence_of(previous.cue[0]) if previous.cue else None
    if any(
        gap_start <= ctx.tokens[c.first].start < start and ctx.tokens[c.first].sent != cue_sent
        for c in attr.cues
    ):  # "“A,” X said after Y failed to show up, where Z also spoke. “B.”": the rest of the attribution's
        return False  # own sentence tells where and when X spoke; B is still X's
    sent_before = ctx.analysis.sentence_of(previous.content[1] - 1)
    sent_now = ctx.analysis.sentence_of(start)
    return sent_before is not None and sent_now is not None and sent_now - sent_before <= INHERIT_SENTENCES
