"""Imports every module that registers a pipeline component, so `factories()` sees them all."""

from newsgraph.ingest import clean  # noqa: F401  registers "clean"
from newsgraph.language import detect, sentences  # noqa: F401  registers "language", "sentences"
from newsgraph.language import syntax  # noqa: F401  registers "syntax"
