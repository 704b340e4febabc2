"""Pipeline: components (small functions of a document), the pure per-batch `annotate`, runners."""
