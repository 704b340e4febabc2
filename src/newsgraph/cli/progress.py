"""The progress bar of long commands: documents done, documents per second, time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Documents per second over the last half minute."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(f"{speed:,.1f} docs/s" if speed else "… docs/s", style="progress.data.speed")


def document_progress(console: Console, disable: bool = False) -> Progress:
    """A bar with count, rate and ETA; with an unknown total it shows the count and rate only.

    Shown on terminals only (a log file gets the summary, not bar frames). Standard output is left
    alone (no redirection into the bar's console): it may carry records.
    """
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        disable=disable or not console.is_terminal,
        redirect_stdout=False,
        redirect_stderr=False,
    )
