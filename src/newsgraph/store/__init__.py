"""The SQLite store (documents, annotations, entities, errors, full-text search) and exports."""

from newsgraph.store.db import AddResult, SearchHit, Store

__all__ = ["AddResult", "SearchHit", "Store"]
