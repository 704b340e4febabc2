"""What the corpus-wide resolver knows about every global entity, blocked by name keys.

An `EntityIndex` holds `KnownEntity` records (names seen with counts, languages, co-occurring
entities) and finds the ones that may match a new name through the phonetic keys of
`newsgraph.entities.names.name_keys`, so resolution compares a name only with its block, never with
the whole corpus. The index lives in memory; a `loader` (the store) fills in blocks on first use
and `dirty()` tells what to write back, so `ingest` resolves against everything stored before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.entities.names import name_keys, normal_text

MAX_FORMS = 12  # names of an entity compared with a new name (the most frequent ones)
# Once an entity has this many mentions, a name is compared only if it carries this share of
# them: one bad cluster ("Brexit Oliver Robbins") must not become a door for every later "Robbins".
SETTLED_MENTIONS = 10
RELIABLE_SHARE = 0.05
MAX_NEIGHBOURS = 40  # co-occurring entities remembered per entity


@dataclass
class KnownEntity:
    id: str
    name: str
    type: str
    wikidata: str | None = None
    in_kb: bool = False
    forms: Counter[str] = field(default_factory=Counter)  # surface and normal forms -> mentions
    langs: Counter[str] = field(default_factory=Counter)
    neighbours: Counter[str] = field(default_factory=Counter)
    documents: int = 0

    def matching_forms(self) -> list[str]:
        """The names a new name is compared with: the entity's name and its well-attested forms."""
        total = sum(self.forms.values())
        floor = max(2.0, RELIABLE_SHARE * total) if total >= SETTLED_MENTIONS else 0.0
        forms = [f for f, n in self.forms.most_common(MAX_FORMS) if n >= floor and f != self.name]
        return [self.name, *forms]

    def to_data(self) -> dict[str, Any]:
        return {
            "forms": dict(self.forms),
            "langs": dict(self.langs),
            "in_kb": self.in_kb,
            "neighbours": dict(self.neighbours.most_common(MAX_NEIGHBOURS)),
            "documents": self.documents,
        }

    @classmethod
    def from_data(
        cls, id: str, name: str, type: str, wikidata: str | None, data: dict[str, Any]
    ) -> KnownEntity:
        return cls(
            id=id,
            name=name,
            type=type,
            wikidata=wikidata,
            in_kb=bool(data.get("in_kb")),
            forms=Counter(data.get("forms") or {}),
            langs=Counter(data.get("langs") or {}),
            neighbours=Counter(data.get("neighbours") or {}),
            documents=int(data.get("documents") or 0),
        )


Loader = Callable[[list[str]], Iterable[KnownEntity]]


class EntityIndex:
    def __init__(
        self, loader: Loader | None = None, id_loader: Callable[[str], KnownEntity | None] | None = None
    ):
        self._entities: dict[str, KnownEntity] = {}
        self._blocks: dict[str, set[str]] = {}
        self._loaded_keys: set[str] = set()
        self._dirty: set[str] = set()
        self._loader = loader
        self._id_loader = id_loader
        self._forms: dict[str, set[str]] = {}  # exact normal form -> ids
        self._indexed: dict[str, set[str]] = {}  # id -> forms already in the blocks

    def get(self, entity_id: str) -> KnownEntity | None:
        found = self._entities.get(entity_id)
        if found is None and self._id_loader is not None:
            found = self._id_loader(entity_id)
            if found is not None:
                self._add(found)
        return found

    def block(self, keys: Iterable[str]) -> list[KnownEntity]:
        """Entities sharing at least one key with `keys`."""
        keys = set(keys)
        missing = sorted(keys - self._loaded_keys)
        if missing and self._loader is not None:
            for known in self._loader(missing):
                if known.id not in self._entities:
                    self._add(known)
        self._loaded_keys |= keys
        ids = set().union(*(self._blocks.get(k, set()) for k in keys)) if keys else set()
        return [self._entities[i] for i in sorted(ids)]

    def with_form(self, form: str) -> list[KnownEntity]:
        """Entities that have exactly this normal form among their names (after `block` loaded them)."""
        return [self._entities[i] for i in sorted(self._forms.get(normal_text(form), ()))]

    def put(self, known: KnownEntity) -> None:
        self._add(known)
        self._dirty.add(known.id)

    def remove(self, entity_id: str) -> None:
        self._entities.pop(entity_id, None)
        self._indexed.pop(entity_id, None)
        for ids in (*self._blocks.values(), *self._forms.values()):
            ids.discard(entity_id)
        self._dirty.discard(entity_id)

    def taken(self, entity_id: str) -> bool:
        return self.get(entity_id) is not None

    def dirty(self) -> list[KnownEntity]:
        """Entities changed since the last `clean()`, to be written back."""
        return [self._entities[i] for i in sorted(self._dirty) if i in self._entities]

    def clean(self) -> None:
        self._dirty.clear()

    def __len__(self) -> int:
        return len(self._entities)

    def _add(self, known: KnownEntity) -> None:
        """Index the entity under the keys of the names it did not have when last indexed."""
        self._entities[known.id] = known
        indexed = self._indexed.setdefault(known.id, set())
        for form in {known.name, *known.forms} - indexed:
            for key in name_keys(form, None):
                self._blocks.setdefault(key, set()).add(known.id)
            self._forms.setdefault(normal_text(form), set()).add(known.id)
            indexed.add(form)
