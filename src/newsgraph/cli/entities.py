"""Entity commands: `entities`, `entity NAME`, `entity explain NAME`, `merge`, `split`, `reresolve`,
`kb import`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from newsgraph.application import NewsGraph
from newsgraph.cli.output import Format, Offset, answers, emit
from newsgraph.cli.progress import document_progress
from newsgraph.cli.shared import Lang, err, fail, open_store, out, settings_of, upgraded_store
from newsgraph.model import ENTITY_TYPES
from newsgraph.store import entities as queries
from newsgraph.store.corrections import Reresolved
from newsgraph.store.db import Store


def _type(value: str | None) -> str | None:
    if value is not None and value.upper() not in ENTITY_TYPES:
        raise typer.BadParameter(f"{value!r} is not an entity type: use one of {', '.join(ENTITY_TYPES)}")
    return value.upper() if value else None


def list_entities(
    ctx: typer.Context,
    type: Annotated[
        str | None,
        typer.Option("--type", "-t", callback=_type, show_default=False, help="Only PER, ORG, LOC or MISC."),
    ] = None,
    lang: Lang = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")] = 30,
    offset: Offset = 0,
    fmt: Format = "table",
) -> None:
    """The most mentioned entities of the store, with their global ids.

    **Example:** `newsgraph entities --type PER --lang ru`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        page = NewsGraph(settings).entities(type, lang, limit, offset)

    def table() -> Table:
        table = Table(title="Entities", title_justify="left")
        table.add_column("id", ratio=2, overflow="fold")
        table.add_column("name", ratio=2, overflow="fold")
        table.add_column("type")
        table.add_column("wikidata", overflow="fold")
        table.add_column("mentions", justify="right")
        table.add_column("docs", justify="right")
        for r in page.items:
            table.add_row(
                Text(r.id), Text(r.name), r.type, r.wikidata or "", str(r.mentions), str(r.documents)
            )
        return table

    emit(page, fmt, table, "no entities match: run `newsgraph ingest` first, or drop --type/--lang")


def show_entity(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="[explain] NAME",
            show_default=False,
            help="A name in any language or script, or an entity id; `explain NAME` also shows why each "
            "document's mentions were linked to it.",
        ),
    ],
) -> None:
    """Everything the store knows about an entity: its names in every language with counts, the
    documents that mention it and the entities it appears with.

    **Examples:** `newsgraph entity Блинкен` · `newsgraph entity explain "Yoav Gallant"`
    """
    explain = len(words) > 1 and words[0] == "explain"
    name = " ".join(words[1:] if explain else words)
    with open_store(settings_of(ctx)) as store:
        ids = queries.find_entities(store, name)
        if not ids:
            fail(f"no entity named {name!r}: see `newsgraph entities` for what the store knows", 1)
        profiles = [p for p in (queries.entity_profile(store, i) for i in ids) if p]
    for profile in profiles:
        _print_profile(profile, explain)


def _print_profile(p: queries.EntityProfile, explain: bool) -> None:
    s = p.summary
    out.print(
        Text.assemble(
            (s.name, "bold"),
            f"  {s.id}  {s.type}",
            f"  wikidata {s.wikidata}" if s.wikidata else "",
            f"  {s.mentions} mentions in {s.documents} documents",
        )
    )
    forms = Table("name as written", "lang", "mentions", title="Names")
    for form, form_lang, n in p.forms:
        forms.add_row(Text(form or ""), form_lang, str(n))
    docs = Table("document", "published", "lang", "title", "mentions", title="Documents")
    for doc_id, title, published, doc_lang, n in p.documents:
        docs.add_row(Text(doc_id), published or "", doc_lang or "", Text(title or ""), str(n))
    near = Table("entity", "name", "shared documents", title="Appears with")
    for other, name, n in p.co_occurring:
        near.add_row(Text(other), Text(name), str(n))
    out.print(forms, docs, near)
    if explain:
        why = Table(
            "document",
            "cluster",
            "method",
            "score",
            "matched",
            "kind",
            "runner-up",
            "context",
            title="Why these mentions are this entity",
        )
        for d in p.decisions:
            runner = d.get("runner_up")
            why.add_row(
                Text(d["doc_id"]),
                d["local_id"],
                d["method"],
                f"{d['score']:.2f}",
                Text(d.get("matched") or ""),
                d.get("kind") or "",
                Text(f"{runner[0]} ({runner[1]:.2f})") if runner else "",
                Text(", ".join(d.get("context") or [])),
            )
        out.print(why)


def _one(store: Store, name: str) -> str:
    try:
        return queries.resolve_entity(store, name)
    except queries.UnknownEntityError as exc:
        fail(str(exc))


@contextmanager
def _progress(total: int | None, description: str) -> Iterator[queries.Progress]:
    """A progress bar on standard error (terminals only), advanced by the re-resolution."""
    with document_progress(err) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


def _report(done: queries.Correction | Reresolved) -> str:
    removed = (
        f", {len(done.removed_entities)} entities left unused and removed" if done.removed_entities else ""
    )
    return (
        f"{done.documents} documents re-resolved, {done.mentions_changed} mentions changed, "
        f"{done.clusters} event clusters rewritten{removed}"
    )


def merge(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(metavar="NAME_OR_ID...", help="Two or more entities; all become the LAST one."),
    ],
) -> None:
    """Merge entities the resolver kept apart. The documents that mention them are re-resolved at
    once (mentions, events, quotes, claims, event clusters), and the correction is remembered:
    later ingests resolve these names to the merged entity.

    **Example:** `newsgraph merge E:galante E:yoav-gallant`
    """
    if len(names) < 2:
        fail("give at least two entities: the ones to merge, then the one to keep")
    with open_store(settings_of(ctx)) as store:
        ids = [_one(store, n) for n in names]
        if len(set(ids)) < 2:
            fail(f"{', '.join(repr(n) for n in names)} all name {ids[0]}: nothing to merge")
        with _progress(None, "re-resolving") as progress:
            done = queries.merge_entities(store, ids[:-1], ids[-1], progress)
    merged = ", ".join(dict.fromkeys(i for i in ids[:-1] if i != ids[-1]))
    out.print(f"merged {merged} into {ids[-1]}: {_report(done)}")


def split(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(metavar="NAME_OR_ID", help="The entity to split.")],
    forms: Annotated[
        list[str],
        typer.Option(
            "--form", "-f", help="A name (as written) whose mentions move to a new entity; repeatable."
        ),
    ],
) -> None:
    """Split off the mentions written as the given names into a new entity. The documents that
    mention the entity are re-resolved at once, and the correction is remembered: later ingests
    resolve these names to the new entity.

    **Example:** `newsgraph split "Joe Biden" --form "Hunter Biden"`
    """
    with open_store(settings_of(ctx)) as store:
        entity_id = _one(store, entity)
        try:
            with _progress(None, "re-resolving") as progress:
                done = queries.split_entity(store, entity_id, forms, progress=progress)
        except queries.UnknownEntityError as exc:
            fail(str(exc))
    out.print(f"split {', '.join(forms)} off {entity_id} as {done.entity}: {_report(done)}")


def reresolve(ctx: typer.Context) -> None:
    """Re-resolve the whole store: every document's entities decided again (with your merges and
    splits, and the knowledge base as it is now) and every event clustered again, in one
    transaction. Run it after upgrading newsgraph or importing into the knowledge base elsewhere.

    **Example:** `newsgraph reresolve`
    """
    from newsgraph.store.corrections import reresolve as reresolve_store

    with open_store(settings_of(ctx)) as store:
        total = store.stats()["documents"]
        with _progress(total, "re-resolving") as progress:
            done = reresolve_store(store, None, progress)
    out.print(_report(done))


kb_app = typer.Typer(help="The knowledge base that entities are linked to.", no_args_is_help=True)


@kb_app.command("import")
def kb_import(
    ctx: typer.Context,
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", help="Wikidata JSON dumps (.json, .json.gz, .json.bz2) or alias lists (.csv)."
        ),
    ],
    languages: Annotated[
        str, typer.Option("--languages", help="Comma-separated languages whose labels and aliases to keep.")
    ] = "en,fr,ru,de,es,it,pt,uk,pl,cs,bg,sl,hr,sk,ar,he,tr,zh",
    reresolve_store: Annotated[
        bool,
        typer.Option(
            "--reresolve/--no-reresolve",
            help="Re-resolve the documents of the store (--db) that the imported names may concern.",
        ),
    ] = True,
) -> None:
    """Grow the knowledge base from a Wikidata dump or a CSV alias list (columns entity_id or
    wikidata, name, lang, type). Entries go to your user knowledge base, which overlays the default;
    the stored documents whose names the import concerns are re-resolved at once.

    **Example:** `newsgraph kb import latest-all.json.bz2 --languages en,fr,ru`
    """
    from newsgraph.entities import kb_import as importer
    from newsgraph.entities.kb import KnowledgeBase, user_kb_path
    from newsgraph.store.corrections import reresolve as reresolve_docs
    from newsgraph.store.corrections import reresolve_names

    target = user_kb_path()
    names: set[str] | None = set()
    for source in sources:
        if not source.is_file():
            fail(f"no such file {source}: give a Wikidata dump or a CSV alias list")
        if source.name.endswith(".csv"):
            stats = importer.import_alias_csv(source, target)
        else:
            stats = importer.import_wikidata_dump(source, target, languages=tuple(languages.split(",")))
        out.print(
            f"{source}: read {stats.read}, imported {stats.imported} entities ({stats.aliases} names, "
            f"{stats.roles} dated roles) into {target}"
        )
        names = None if names is None or stats.names is None else names | stats.names
    settings = settings_of(ctx)
    if not reresolve_store or not Path(settings.db).is_file():
        return
    KnowledgeBase.reload_default()
    with open_store(settings) as store, _progress(None, "re-resolving") as progress:
        done = (
            reresolve_names(store, names, progress)
            if names is not None
            else reresolve_docs(store, None, progress)
        )
    out.print(f"{settings.db}: {_report(done)}")
