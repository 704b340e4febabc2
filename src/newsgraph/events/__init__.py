"""Events: dyadic, dated PLOVER events of each document, and their clusters across documents.

- `component` registers the "events" pipeline stage (`extract` does the work: `triggers` finds
  lexicon phrases, `arguments` and `actors` the participants, `attributes` negation, context,
  mode and date), with per-language data in `langdata/<lang>/events.toml` (`lexicon`);
- `cluster.cluster_events(docs, index)` groups the reports of one real-world event, corpus-wide,
  after entity resolution; `timeline.timeline(clusters, actor, ...)` lists an actor's events.
"""
