"""Every attribution of a document: quotations first, then reported speech, then labelled lines.

Quotations take the cues next to them (`quotations`), the cues left over attribute reported
speech (`reported`), and transcript or headline lines attribute themselves (`labels`). What PolNeAR
and a reader both expect is then kept: reported speech whose cue lies inside what an earlier frame
reports is part of that frame ("X said he believes Y": "he believes Y" is what X said; so is a cue
inside a transcript line or a quotation), unless the outer frame only names the source of its
sentence and the inner one quotes words ("Selon X, Blinken a appelé … à ''…''": Blinken's words); and
quoted words no cue attributes inside an attributed frame are part of it.
"""

from __future__ import annotations

from newsgraph.model import Span
from newsgraph.quotes.attribution import Attributor, Frame
from newsgraph.quotes.context import Context
from newsgraph.quotes.cues import find_cues
from newsgraph.quotes.labels import labelled_frames
from newsgraph.quotes.quotations import quotation_frames
from newsgraph.quotes.reported import reported_frames


def find_frames(ctx: Context, orphans: list[Span]) -> list[Frame]:
    """Every attribution in the document, in text order (`orphans`: closing marks that closed nothing)."""
    attr = Attributor(ctx, find_cues(ctx))
    frames = quotation_frames(attr, orphans) + reported_frames(attr) + labelled_frames(ctx)
    return sorted(_outermost(frames), key=lambda f: f.content)


def _outermost(frames: list[Frame]) -> list[Frame]:
    kept: list[Frame] = []
    for frame in sorted(frames, key=lambda f: f.cue[0] if f.cue else f.content[0]):
        if (
            frame.direct
            or frame.cue is None
            or not any(
                other.content[0] <= frame.cue[0] < other.content[1] and not (frame.quoting and other.sourced)
                for other in kept
            )
        ):
            kept.append(frame)
    attributed = [f.content for f in kept if f.cue is not None]
    return [
        f
        for f in kept
        if f.cue is not None
        or not any(start <= f.content[0] and f.content[1] <= end for start, end in attributed)
    ]
