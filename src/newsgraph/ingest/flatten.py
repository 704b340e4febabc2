"""Markup nested too deep for the HTML parser, made shallow enough to parse without losing its text.

libxml2 (under lxml) stops building the tree at 256 levels and drops everything after that point,
the rest of the page included: a page with a deep run of wrappers (generated markup, or a hostile
page) would lose its article. Python's own tokenizer has no depth limit and no recursion, so the
page is re-written token by token: elements up to `depth` levels are kept as they are; below that,
their tags are dropped (a block element starts a new paragraph, so paragraphs stay apart) and their
text is kept. Invisible elements below the limit (scripts, styles) are dropped with their content,
since their text never reaches the article anyway.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

# elements that never have content or an end tag: they do not open a level
VOID = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    )
)


class _Flattener(HTMLParser):
    """Copies the page, dropping the tags of elements below `depth` levels (see the module doc)."""

    def __init__(self, depth: int, blocks: frozenset[str], invisible: frozenset[str]):
        super().__init__(convert_charrefs=False)  # entities are copied as written
        self.depth, self.blocks, self.invisible = depth, blocks, invisible
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, written to the output)
        self.open_tags: Counter[str] = Counter()  # tags on the stack, so stray end tags cost nothing
        self.hidden_at: int | None = None  # stack height of an invisible element being dropped
        self.flattened = 0  # elements whose tags were dropped

    def _write(self, text: str) -> None:
        if self.hidden_at is None and text:
            self.out.append(text)

    def _break(self, tag: str) -> None:
        """A new paragraph for a flattened block element; one for a run of them (a wall of wrappers).

        A `<p>`, not a `<br>`: extractors take paragraphs for text, and the parser closes the previous
        `<p>` when the next one opens, so these never nest.
        """
        if tag in self.blocks and (not self.out or self.out[-1] != "<p>"):
            self._write("<p>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self._write(self.get_starttag_text() or "")
            return
        keep = len(self.stack) < self.depth
        if keep:
            self._write(self.get_starttag_text() or "")
        else:
            self.flattened += 1
            if tag in self.invisible and self.hidden_at is None:
                self.hidden_at = len(self.stack)
            self._break(tag)
        self.stack.append((tag, keep))
        self.open_tags[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.stack) < self.depth or tag in VOID:
            self._write(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        """Closes `tag` and whatever was left open inside it; an end tag with nothing to close is dropped."""
        if not self.open_tags[tag]:
            return
        while self.stack:
            name, kept = self.stack.pop()
            self.open_tags[name] -= 1
            if self.hidden_at is not None and len(self.stack) <= self.hidden_at:
                self.hidden_at = None  # the invisible element ends: nothing of it is written
            elif kept:
                self._write(f"</{name}>")
            else:
                self._break(name)
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        self._write(data)

    def handle_entityref(self, name: str) -> None:
        self._write(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._write(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        self._write(f"<!{decl}>")


def flatten_deep(html: str, depth: int, blocks: frozenset[str], invisible: frozenset[str]) -> tuple[str, int]:
    """The page with no element nested deeper than `depth`, and how many elements were flattened."""
    flattener = _Flattener(depth, blocks, invisible)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out), flattener.flattened
