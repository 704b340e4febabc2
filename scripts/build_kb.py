"""Build the default knowledge base shipped in `src/newsgraph/kb/data/default_kb.sqlite`.

    python scripts/build_kb.py --world-leaders ../shared/kb/world-leaders-current

Sources and licences: see `src/newsgraph/kb/data/README.md`; the hand facts are in
`src/newsgraph/kb/facts/`. Rebuild after changing them or the name-key rules
(`langdata/*/translit.toml`): the KB stores the keys of every name.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsgraph.entities.kb import default_kb_path
from newsgraph.entities.kb_build import MIN_CITY_POPULATION, build_default_kb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=default_kb_path(), help="KB file to write (replaced)")
    parser.add_argument(
        "--world-leaders",
        type=Path,
        default=None,
        help="folder of open-data-archive/world-leaders-current (current leaders)",
    )
    parser.add_argument("--min-city-population", type=int, default=MIN_CITY_POPULATION)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = build_default_kb(args.out, args.world_leaders, min_city_population=args.min_city_population)
    size = args.out.stat().st_size
    json.dump(
        {
            "out": str(args.out),
            "entities_by_kind": counts,
            "bytes": size,
            "seconds": round(time.perf_counter() - start, 1),
        },
        sys.stdout,
        indent=1,
    )
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
