"""The `newsgraph` command: ingest, extract, export, search, show, stats.

Results go to standard output, progress and messages to standard error, so any command's output
can be piped. Mistakes the user can fix end with a message that says how, and exit status 2.
"""

from __future__ import annotations

import json
import logging
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.logging import RichHandler

from newsgraph.application import NewsGraph
from newsgraph.cli import entities, facts, render, stories, timeline
from newsgraph.cli.output import Format, Offset, answers, emit
from newsgraph.cli.progress import document_progress
from newsgraph.cli.serve import serve
from newsgraph.cli.shared import Lang, Since, Until, err, fail, open_store, out, settings_of, upgraded_store
from newsgraph.config import load_settings
from newsgraph.ingest.readers import STDIN, SUFFIXES, read_paths
from newsgraph.model import Document
from newsgraph.pipeline.runs import Runner, count_documents, extract_records, ingest_documents, runner_for
from newsgraph.store.db import NAMES, TEXT
from newsgraph.store.export import FORMATS, export_documents

RECENT_ERRORS = 10

app = typer.Typer(
    name="newsgraph",
    help="Who did what to whom, when, where, and who said what: news articles in any language to an "
    "evidence-linked store.\n\nStart with `newsgraph ingest articles/`, then "
    "`newsgraph search WORDS`, `newsgraph show DOC_ID` and `newsgraph stats`.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


# ---------------------------------------------------------------------------- shared options

Paths = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        show_default=False,
        help=f"Files ({', '.join(SUFFIXES)}) or folders of them (read recursively); "
        "- reads JSON Lines from stdin.",
    ),
]
Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=0,
        envvar="NEWSGRAPH_WORKERS",
        show_default=False,
        help="Processes annotating in parallel (each loads the models once; one that crashes, hangs or "
        "runs out of memory on a document is replaced); 0 annotates in this process, unguarded. "
        "[default: 1, or `workers` in --config]",
    ),
]
BatchSize = Annotated[
    int | None,
    typer.Option(
        "--batch-size",
        min=1,
        show_default=False,
        help="Documents per batch sent to a worker and stored per transaction. [default: 32]",
    ),
]
Dask = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        show_default=False,
        help='Annotate on the Dask cluster at ADDRESS (tcp://host:8786, or "local" for one on this machine); '
        'needs `pip install "newsgraph[dask]"`.',
    ),
]


def _export_format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not a format: use one of {', '.join(FORMATS)}")
    return value


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            envvar="NEWSGRAPH_DB",
            show_default=False,
            help="The store, an SQLite file (created by ingest). [default: newsgraph.db]",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            envvar="NEWSGRAPH_CONFIG",
            show_default=False,
            help="A TOML file of settings (models per language, workers, batch_size, max_bytes...).",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each step does.")] = False,
) -> None:
    level = logging.DEBUG if verbose else logging.WARNING
    # the level on the handler too: libraries (Dask) that set their own loggers' levels stay quiet
    logging.basicConfig(
        level=level,
        format="%(message)s",
        force=True,
        handlers=[RichHandler(level=level, console=err, show_path=False)],
    )
    try:
        ctx.obj = load_settings(config, db=db)
    except FileNotFoundError:
        fail(f"no such config file {config}: give a TOML file of settings, or leave --config out")
    except tomllib.TOMLDecodeError as exc:
        fail(f"config file {config} is not valid TOML ({exc}): fix it, or leave --config out")
    except ValueError as exc:  # an unknown setting: the message names it and lists the known ones
        fail(str(exc))


def _check_inputs(paths: list[str]) -> None:
    for path in paths:
        if path != STDIN and not Path(path).exists():
            fail(f"no such file {path}: give a .txt/.html/.jsonl file or a folder")


def _check_output(output: str) -> None:
    """An output file is written beside its name and renamed over it when complete, so its folder
    must exist and it must not be a device or a pipe (the rename would replace `/dev/null` itself)."""
    if output == STDIN:
        return
    path = Path(output)
    if not path.parent.is_dir():
        fail(f"no such folder {path.parent}: create it or choose another --output")
    if path.exists() and not path.is_file():
        fail(
            f"{output} is not a regular file: to write to a device or a pipe, use --output - and redirect it"
        )


def _runner(dask: str | None) -> Runner:
    try:
        return runner_for(dask)
    except ImportError as exc:
        fail(str(exc))


# ---------------------------------------------------------------------------- commands


@app.command()
def ingest(
    ctx: typer.Context, paths: Paths, workers: Workers = None, batch_size: BatchSize = None, dask: Dask = None
) -> None:
    """Read articles, annotate them and add them to the store. Articles already stored are skipped.

    Each batch is stored in one transaction: if a run is interrupted, run the same command again
    and it carries on where it stopped, with every article stored exactly once.

    **Example:** `newsgraph --db news.db ingest articles/ feed.jsonl.gz --workers 4`
    """
    settings = settings_of(ctx, workers=workers, batch_size=batch_size)
    _check_inputs(paths)
    run = _runner(dask)
    with open_store(settings, must_exist=False) as store, document_progress(err) as progress:
        task = progress.add_task("ingesting", total=count_documents(paths, settings))
        try:
            summary = ingest_documents(
                read_paths(paths, settings), store, settings, run, lambda n: progress.advance(task, n)
            )
        except KeyboardInterrupt:
            progress.stop()
            fail("interrupted: the batches stored so far are kept; run the same command again to go on", 130)
    out.print(summary.report(settings.db))


@app.command()
def extract(
    ctx: typer.Context,
    paths: Paths,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE.jsonl|-",
            show_default=False,
            help="Where to write the records; - for standard output. A file appears only once complete.",
        ),
    ],
    workers: Workers = None,
    batch_size: BatchSize = None,
    dask: Dask = None,
) -> None:
    """Annotate articles and write one interchange record (JSON) per article, without a store.

    Articles that fail are written too, with what went wrong in their `errors` field.

    **Example:** `newsgraph extract articles/ --output records.jsonl`
    """
    settings = settings_of(ctx, workers=workers, batch_size=batch_size)
    _check_inputs(paths)
    _check_output(output)
    run = _runner(dask)
    # the bar would garble records printed to the same terminal
    with document_progress(err, disable=output == STDIN and sys.stdout.isatty()) as progress:
        task = progress.add_task("extracting", total=count_documents(paths, settings))
        summary = extract_records(
            read_paths(paths, settings), output, settings, run, lambda n: progress.advance(task, n)
        )
    errors = f", {summary.with_errors} with errors (see their `errors` field)" if summary.with_errors else ""
    where = "standard output" if output == STDIN else output
    err.print(f"wrote {summary.written} records{errors} to {where}")


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="|".join(FORMATS),
            callback=_export_format,
            show_default=False,
            help="jsonl: interchange records; csv: one row per document; parquet: both, columnar.",
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
            help="The file to write (atomically); - for stdout (jsonl, csv).",
        ),
    ],
    lang: Lang = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """Write the stored documents (optionally filtered) to a file.

    **Example:** `newsgraph export --format parquet --output fr-nov.parquet --lang fr --since 2023-11`
    """
    _check_output(output)
    with open_store(settings_of(ctx)) as store:
        n = _export(store.iter_documents(lang, since, until), fmt, output)
    err.print(f"exported {n} documents to {'standard output' if output == STDIN else output}")


def _export(docs: Iterator[Document], fmt: str, output: str) -> int:
    try:
        return export_documents(docs, fmt, output)
    except ValueError as exc:  # a format that cannot go to standard output
        fail(str(exc))


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            show_default=False,
            help='Words that must all appear; "a phrase" in quotes; word* for any ending. Case and accents '
            "are ignored.",
        ),
    ],
    lang: Lang = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many hits to show.")] = 20,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact",
            help="Only the words typed: a name does not also find the entity's other names and forms.",
        ),
    ] = False,
    offset: Offset = 0,
    fmt: Format = "table",
) -> None:
    """Full-text search over titles and bodies; best matches first. A name also finds the entity's
    names in other scripts and its inflected forms (Blinken finds Блинкена), unless --exact.

    **Example:** `newsgraph search 'Blinken Herzog' --lang fr --since 2023-10-01`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        page = NewsGraph(settings).documents(
            query, lang, since, until, limit, offset, TEXT if exact else NAMES
        )
    emit(
        page,
        fmt,
        lambda: render.hits_table(query, page),
        f"no documents match {query!r}: try fewer words, or word* to match any ending",
    )


@app.command()
def documents(
    ctx: typer.Context,
    lang: Lang = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")] = 20,
    offset: Offset = 0,
    fmt: Format = "table",
) -> None:
    """The stored documents, most recently published first.

    **Example:** `newsgraph documents --lang ru --since 2023-11 --format csv`
    """
    settings = upgraded_store(settings_of(ctx))
    with answers():
        page = NewsGraph(settings).documents(None, lang, since, until, limit, offset)
    emit(page, fmt, lambda: render.documents_table(page), "no documents match: drop --lang or the dates")


@app.command()
def show(
    ctx: typer.Context,
    doc_id: Annotated[
        str, typer.Argument(metavar="DOC_ID", help="The document's id (see `newsgraph search`).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the interchange record instead.")] = False,
) -> None:
    """One article with its annotations highlighted, then each annotation layer as a table.

    **Example:** `newsgraph show c5f6320763c04a08`
    """
    settings = settings_of(ctx)
    with open_store(settings) as store:
        doc = store.get(doc_id)
    if doc is None:
        fail(f"no document {doc_id!r} in {settings.db}: find ids with `newsgraph search WORDS`", 1)
    if as_json:
        sys.stdout.write(json.dumps(doc.to_record(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(render.document_view(doc))


@app.command()
def stats(ctx: typer.Context) -> None:
    """What the store holds: documents by language and month, annotations, entities, recent errors.

    **Example:** `newsgraph --db news.db stats`
    """
    with open_store(settings_of(ctx)) as store:
        numbers = store.stats()
        errors = store.errors(RECENT_ERRORS)
    for table in render.stats_tables(numbers):
        out.print(table)
    if errors:
        out.print(render.errors_table(errors, numbers["errors"]))


app.command("entities")(entities.list_entities)
app.command("entity")(entities.show_entity)
app.command("merge")(entities.merge)
app.command("split")(entities.split)
app.command("reresolve")(entities.reresolve)
app.add_typer(entities.kb_app, name="kb")
app.command("quotes")(facts.list_quotes)
app.command("claims")(facts.list_claims)
app.command("serve")(serve)
app.command("timeline")(timeline.show_timeline)
app.command("stories")(stories.list_stories)
app.command("story")(stories.show_story)
