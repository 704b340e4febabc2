"""Line charts as PNG files, in pure Python (zlib + struct): the benchmarks plot without matplotlib.

A `Chart` is a white RGB canvas with one or more stacked panels; each panel draws series of (x, y)
points as lines between axes, with its title and the axis extremes written in a 3x5 pixel font
scaled up. It is enough to see a curve's shape (flat, growing) and its range, which is what the
benchmark plots are for; the numbers themselves are in the benchmark's JSON.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

Color = tuple[int, int, int]
BLACK, GREY, WHITE = (0, 0, 0), (190, 190, 190), (255, 255, 255)
COLORS: tuple[Color, ...] = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189))

# 3x5 glyphs, one string of 15 bits (rows top to bottom) per character
_FONT = {
    "0": "111101101101111",
    "1": "010110010010111",
    "2": "111001111100111",
    "3": "111001111001111",
    "4": "101101111001001",
    "5": "111100111001111",
    "6": "111100111101111",
    "7": "111001001001001",
    "8": "111101111101111",
    "9": "111101111001111",
    ".": "000000000000010",
    ",": "000000000010100",
    "/": "001001010100100",
    "-": "000000111000000",
    "+": "000010111010000",
    "(": "010100100100010",
    ")": "010001001001010",
    ":": "000010000010000",
    "%": "101001010100101",
    " ": "000000000000000",
    "<": "001010100010001",
    "A": "010101111101101",
    "B": "110101110101110",
    "C": "011100100100011",
    "D": "110101101101110",
    "E": "111100110100111",
    "F": "111100110100100",
    "G": "011100101101011",
    "H": "101101111101101",
    "I": "111010010010111",
    "J": "001001001101010",
    "K": "101101110101101",
    "L": "100100100100111",
    "M": "101111111101101",
    "N": "110101101101101",
    "O": "010101101101010",
    "P": "110101110100100",
    "Q": "010101101110011",
    "R": "110101110101101",
    "S": "011100010001110",
    "T": "111010010010010",
    "U": "101101101101111",
    "V": "101101101101010",
    "W": "101101111111101",
    "X": "101101010101101",
    "Y": "101101010010010",
    "Z": "111001010100111",
}


class Canvas:
    """An RGB image held as rows of bytes, written out as a PNG."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def dot(self, x: int, y: int, color: Color) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            i = 3 * (y * self.width + x)
            self.pixels[i : i + 3] = bytes(color)

    def line(self, x0: int, y0: int, x1: int, y1: int, color: Color, thick: int = 1) -> None:
        """Bresenham's line, `thick` pixels wide."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            for t in range(thick):
                self.dot(x0, y0 + t, color)
            if (x0, y0) == (x1, y1):
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def text(self, x: int, y: int, words: str, color: Color = BLACK, scale: int = 2) -> None:
        """`words` in the 3x5 font (unknown characters as blanks), top left at (x, y)."""
        for n, char in enumerate(words.upper()):
            glyph = _FONT.get(char, _FONT[" "])
            for bit, on in enumerate(glyph):
                if on == "1":
                    gx, gy = x + n * 4 * scale + (bit % 3) * scale, y + (bit // 3) * scale
                    for ox in range(scale):
                        for oy in range(scale):
                            self.dot(gx + ox, gy + oy, color)

    def png(self) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

        stride = 3 * self.width
        raw = b"".join(
            b"\x00" + bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)  # 8-bit RGB
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def _label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def plot_panels(
    path: Path,
    panels: Sequence[tuple[str, Sequence[tuple[str, Sequence[tuple[float, float]]]]]],
    x_title: str,
    width: int = 900,
    panel_height: int = 220,
) -> None:
    """Write stacked line charts to `path`: each panel is (title, [(series name, points)]), its y axis
    from 0 to its largest value; every panel shares the x range of all the points."""
    margin_left, margin_top, gap = 90, 34, 30
    height = len(panels) * (panel_height + margin_top + gap) + 30
    canvas = Canvas(width, height)
    xs = [x for _, series in panels for _, points in series for x, _ in points]
    x_min, x_max = min(xs, default=0.0), max(xs, default=1.0)
    for n, (title, series) in enumerate(panels):
        top = n * (panel_height + margin_top + gap) + margin_top
        left, right, bottom = margin_left, width - 20, top + panel_height
        y_max = max((y for _, points in series for _, y in points), default=1.0) * 1.1 or 1.0
        canvas.text(left, top - 24, title)
        for k in range(1, 5):  # grid
            y = bottom - k * panel_height // 4
            canvas.line(left, y, right, y, GREY)
        canvas.line(left, top, left, bottom, BLACK)
        canvas.line(left, bottom, right, bottom, BLACK)
        canvas.text(4, top - 4, _label(y_max))
        canvas.text(4, bottom - 10, "0")
        canvas.text(left, bottom + 6, _label(x_min))
        canvas.text(right - 4 * 2 * len(_label(x_max)), bottom + 6, _label(x_max))

        x_span = (x_max - x_min) or 1.0
        for k, (name, points) in enumerate(series):
            color = COLORS[k % len(COLORS)]
            canvas.text(right - 200, top - 24 + 12 * k, name, color)
            pixels = [
                (
                    left + round((x - x_min) / x_span * (right - left)),
                    bottom - round(min(y, y_max) / y_max * panel_height),
                )
                for x, y in points
            ]
            for (ax, ay), (bx, by) in itertools.pairwise(pixels):
                canvas.line(ax, ay, bx, by, color, thick=2)
    canvas.text(margin_left, height - 20, x_title)
    path.write_bytes(canvas.png())
