"""`newsgraph quotes` (who said what) and `newsgraph claims` (who claims which number)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from newsgraph.cli.shared import Lang, Since, Until, err, fail, open_store, out, settings_of
from newsgraph.model import CLAIM_KINDS
from newsgraph.store import entities as entity_queries
from newsgraph.store import facts
from newsgraph.store.db import Store


def _entity_ids(store: Store, name: str | None) -> list[str]:
    if not name:
        return []
    ids = entity_queries.find_entities(store, name)
    if not ids:
        fail(f"no entity named {name!r}: see `newsgraph entities` for what the store knows", 1)
    return ids


def list_quotes(
    ctx: typer.Context,
    speaker: Annotated[
        str | None,
        typer.Option(
            "--speaker",
            "-s",
            show_default=False,
            help="Who said it: a name in any language, or an entity id.",
        ),
    ] = None,
    about: Annotated[
        str | None,
        typer.Option("--about", "-a", show_default=False, help="Only quotes that name this entity."),
    ] = None,
    lang: Lang = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")] = 50,
) -> None:
    """Quotations and reported speech with their speakers, oldest first.

    **Example:** `newsgraph quotes --speaker Blinken --about Israel --lang fr`
    """
    with open_store(settings_of(ctx)) as store:
        rows = facts.quotes(
            store, _entity_ids(store, speaker), _entity_ids(store, about), lang, since, until, limit
        )
    if not rows:
        err.print("no quotes match: loosen --speaker/--about/--lang or the dates")
        return
    table = Table("published", "lang", "speaker", "quote", "document", title="Quotes")
    for r in rows:
        said = Text(
            ("« " if r.direct else "") + r.text + (" »" if r.direct else ""),
            style="italic" if r.direct else "",
        )
        table.add_row(r.published or "", r.lang or "", Text(r.speaker_name or "?"), said, Text(r.doc_id))
    out.print(table)


def _kind(value: str | None) -> str | None:
    if value is not None and value not in CLAIM_KINDS:
        raise typer.BadParameter(f"{value!r} is not a claim kind: use one of {', '.join(CLAIM_KINDS)}")
    return value


def list_claims(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", "-k", callback=_kind, show_default=False, help=f"One of {', '.join(CLAIM_KINDS)}."
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject", show_default=False, help="Words of the counted group (Palestiniens, children...)."
        ),
    ] = None,
    lang: Lang = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")] = 100,
) -> None:
    """Numeric claims (casualties, arrests, money...) in date order, with who claims them and the
    sentence they come from: how a figure evolved across articles and outlets.

    **Example:** `newsgraph claims --kind killed --subject Palestin`
    """
    with open_store(settings_of(ctx)) as store:
        rows = facts.claims(store, kind, subject, lang, since, until, limit)
    if not rows:
        err.print("no claims match: loosen --kind/--subject/--lang or the dates")
        return
    table = Table(
        "as of", "published", "kind", "value", "subject", "according to", "outlet", "sentence", title="Claims"
    )
    for r in rows:
        bound = {"more_than": "> ", "about": "~ ", "at_least": "≥ ", "at_most": "≤ ", "less_than": "< "}
        value = f"{bound.get(r.bound, '')}{r.value:,.0f}"
        table.add_row(
            r.as_of or "",
            r.published or "",
            r.kind,
            value,
            Text(r.subject or ""),
            Text(r.attributed_to or ""),
            Text(r.outlet or ""),
            Text(r.sentence),
        )
    out.print(table)
