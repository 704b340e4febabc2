"""The modules that register pipeline components; `factories()` imports them all.

Each module registers its component(s) with `@register(name)` when imported and loads its models
lazily, so importing them all is cheap.
"""

from importlib import import_module

STAGE_MODULES = (
    "newsgraph.language.detect",  # "language"
    "newsgraph.ingest.clean",  # "clean"
    "newsgraph.language.sentences",  # "sentences"
    "newsgraph.language.syntax",  # "syntax"
    "newsgraph.entities.recognize",  # "mentions"
    "newsgraph.entities.roles",  # "roles"
    "newsgraph.times.component",  # "times"
    "newsgraph.events.component",  # "events"
    "newsgraph.quotes.component",  # "quotes"
    "newsgraph.claims.component",  # "claims"
)

for _module in STAGE_MODULES:
    import_module(_module)
