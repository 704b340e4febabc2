"""Role phrases as mentions of the person who held the role on the article's date.

"le secrétaire d'État américain" in an article of November 2023 names Antony Blinken, "the Israeli
Prime Minister" in January 2024 Benjamin Netanyahu: the knowledge base knows the phrases of each
language (`langdata/<lang>/roles.toml`) and who held each office when. A role phrase written next
to the person's name ("le président israélien Isaac Herzog") is a title, not a mention: the name
is already there. A phrase whose office someone else holds on that date ("le futur chancelier",
"the former president", "бывший премьер": `not_current` in roles.toml) names nobody.
"""

from __future__ import annotations

import re
from datetime import date

from newsgraph import langdata
from newsgraph.config import Settings
from newsgraph.entities.kb import KnowledgeBase, RoleMention
from newsgraph.model import Document, Entity, Mention
from newsgraph.pipeline.components import Component, register

SOURCE = "role"
SCORE = 0.8
NAME_GAP = 3  # characters between a role phrase and a person's name that make it the name's title
_LAST_WORD = re.compile(r"([^\W_]+)[\W_]*$")


def role_mentions(doc: Document, kb: KnowledgeBase) -> list[Mention]:
    """A mention (with the holder's global id) for each role phrase that stands for a person."""
    on = _day(doc)
    if on is None:
        return []
    out = []
    for start, end in doc.sentences or doc.body:
        for role in kb.find_roles(doc.text, start, end, doc.lang):
            if not doc.in_body(role.start, role.end) or _titles_a_name(doc, role):
                continue
            if _not_current(doc, role, start):
                continue
            holders = kb.holders(role.office, role.country, on)
            if len(holders) != 1:  # nobody known, or an office shared at that date: say nothing
                continue
            holder = holders[0]
            out.append(
                Mention(
                    role.start,
                    role.end,
                    doc.text[role.start : role.end],
                    "PER",
                    entity=holder.id,
                    normal=holder.name,
                    source=SOURCE,
                    score=SCORE,
                )
            )
            doc.entities.setdefault(
                holder.id,
                Entity(
                    holder.id,
                    holder.name,
                    "PER",
                    [],
                    holder.wikidata,
                    evidence={"role": role.office, "country": role.country},
                ),
            )
    return out


def _titles_a_name(doc: Document, role: RoleMention) -> bool:
    """The phrase overlaps a name, or sits right before or after a person's name."""
    for m in doc.mentions:
        if m.start < role.end and role.start < m.end:
            return True
        if m.type == "PER" and (0 <= m.start - role.end <= NAME_GAP or 0 <= role.start - m.end <= NAME_GAP):
            return True
    return False


def _not_current(doc: Document, role: RoleMention, sentence_start: int) -> bool:
    """The word right before the phrase says the office is someone else's on the article's date:
    "le futur chancelier" in February 2025 is Merz, not the Scholz who then held the office."""
    before = _LAST_WORD.search(doc.text, max(sentence_start, role.start - 40), role.start)
    if before is None:
        return False
    words = {str(w).casefold() for w in langdata.load(doc.lang, "roles").get("not_current", [])}
    return before.group(1).casefold() in words


def _day(doc: Document) -> date | None:
    value = doc.published.value if doc.published else None
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@register("roles")
def make_roles(settings: Settings) -> Component:
    kb = KnowledgeBase.default()

    def roles(doc: Document) -> Document:
        found = role_mentions(doc, kb)
        if found:
            doc.mentions = sorted([*doc.mentions, *found], key=lambda m: (m.start, m.end))
        return doc

    return roles
