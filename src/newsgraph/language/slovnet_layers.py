"""Two of slovnet's numpy layers, computed the same way with less copying (natasha's Russian models).

slovnet runs its models in numpy. Two of its layers spend more time arranging numbers than
computing with them:

- `Conv1d` pads its input with `numpy.pad` (tens of microseconds of Python per call) and builds the
  matrix of its windows by reshaping a strided view whose innermost step is one float, which numpy
  copies element by element;
- `NavecEmbedding` gathers each word's quantised vector with a two-dimensional fancy index over
  uint8 ids, which numpy converts and walks slowly.

`PaddedConv1d` pads into a zeroed array and fills the window matrix one kernel position at a time
(a strided copy of whole rows), then makes the same `numpy.matmul` call on the same matrix;
`FlatNavec` gathers the same floats with one `numpy.take` over the codes seen as one table. Every
float is the same, bit for bit (the matrix multiplication is given identical operands), so a model
gives the same tags, heads and names as slovnet's own layers: `tests/test_russian_speed_s5.py` checks
each layer and the three models against slovnet's.

`accelerated(model)` is a copy of a slovnet model's module tree with these two layers replaced; it
shares every weight array with the original (no memory is copied), and the original is left as
natasha ships it.
"""

from __future__ import annotations

from typing import Any

import numpy
from slovnet.exec.model import Conv1d, Module, NavecEmbedding


class PaddedConv1d(Conv1d):
    """slovnet's `Conv1d` with the padding and the window matrix made by block copies."""

    def __call__(self, input: Any) -> Any:
        batch, in_dim, length = input.shape
        padded = numpy.zeros((batch, in_dim, length + 2 * self.padding), dtype=input.dtype)
        padded[:, :, self.padding : self.padding + length] = input
        filters, _, kernel = self.weight.shape
        count = padded.shape[2] - kernel + 1
        # windows[b, w, c, j] = padded[b, c, w + j], in slovnet's order (channel, then kernel position)
        windows = numpy.empty((batch, count, in_dim, kernel), dtype=padded.dtype)
        by_position = padded.transpose(0, 2, 1)
        for j in range(kernel):
            windows[:, :, :, j] = by_position[:, j : j + count, :]
        weight = self.weight.array.reshape(filters, in_dim * kernel)
        output = numpy.matmul(windows.reshape(batch * count, in_dim * kernel), weight.T) + self.bias.array
        return output.reshape(batch, count, filters).swapaxes(2, 1)


class FlatNavec(NavecEmbedding):
    """slovnet's `NavecEmbedding` gathering from the codes seen as one table of (subspace, centroid)
    rows: row `q * centroids + index` is `codes[q, index]`."""

    def __init__(self, id: Any, indexes: Any, codes: Any):
        super().__init__(id, indexes, codes)
        subspaces, centroids, chunk = codes.shape
        self.table = codes.array.reshape(subspaces * centroids, chunk)  # a view: no copy
        self.offsets = (numpy.arange(subspaces) * centroids).astype(numpy.intp)

    def __call__(self, input: Any) -> Any:
        rows = self.indexes.array[input.ravel()].astype(numpy.intp)
        rows += self.offsets
        return numpy.take(self.table, rows, axis=0).reshape(*input.shape, self.dim)


def accelerated(module: Any) -> Any:
    """A copy of a slovnet module tree with `PaddedConv1d` and `FlatNavec` in place of slovnet's
    layers; weights (and anything that is no module) are shared with the original."""
    if type(module) is Conv1d:
        return PaddedConv1d(module.weight, module.bias, module.padding)
    if type(module) is NavecEmbedding:
        return FlatNavec(module.id, module.indexes, module.codes)
    if not isinstance(module, Module):
        return module
    parts = []
    for key in module.__attributes__:
        value = getattr(module, key)
        parts.append([accelerated(v) for v in value] if isinstance(value, list) else accelerated(value))
    return type(module)(*parts)
