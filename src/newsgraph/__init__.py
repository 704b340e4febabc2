"""newsgraph: who did what to whom, when, where, and who said what, from multilingual news."""

from newsgraph.model import Document

__version__ = "0.1.0"
__all__ = ["Document", "__version__"]
