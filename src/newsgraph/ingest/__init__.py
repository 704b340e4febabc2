"""Ingest: readers (txt, html, jsonl, folders), encoding detection, cleaning and metadata."""
