"""Time expressions: found in the body in the document's language, normalised against `published`."""

from newsgraph.times.component import find_times, governing_time, resolve_expression

__all__ = ["find_times", "governing_time", "resolve_expression"]
