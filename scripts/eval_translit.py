"""Measure cross-script name matching on Latin/Cyrillic name pairs.

    python scripts/eval_translit.py ../shared/kb/name-transliteration-en-ru/wd_russian_20

The file holds one pair a line: a Latin-script name token, its Russian spelling with letters
separated by spaces, and a count (steveash/NETransliteration-COLING2018, CC0). Reports:

- key recall: share of pairs whose `name_keys` intersect (also weighted by the count column),
- key collisions: share of random non-matching pairs whose keys intersect (the cost of blocking),
- similarity recall / false matches: the same with `name_similarity(...).score >= --threshold`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from newsgraph.entities.names import TOKEN_MATCH, name_keys, name_similarity

CYRILLIC_LANG = "ru"


def read_pairs(path: Path) -> list[tuple[str, str, int]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] and parts[1]:
            count = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
            pairs.append((parts[0], parts[1].replace(" ", ""), count))
    return pairs


def evaluate(
    pairs: list[tuple[str, str, int]], negatives: int, threshold: float, seed: int
) -> dict[str, float]:
    latin_keys = [name_keys(latin) for latin, _, _ in pairs]
    cyrillic_keys = [name_keys(cyrillic, CYRILLIC_LANG) for _, cyrillic, _ in pairs]
    hits = [bool(a & b) for a, b in zip(latin_keys, cyrillic_keys, strict=True)]
    rng = random.Random(seed)
    sample = rng.sample(range(len(pairs)), min(len(pairs), negatives))
    similar = [
        name_similarity(pairs[i][0], pairs[i][1], None, CYRILLIC_LANG).score >= threshold for i in sample
    ]
    collisions = false_matches = tried = 0
    while tried < negatives:
        i, j = rng.randrange(len(pairs)), rng.randrange(len(pairs))
        if pairs[i][0] == pairs[j][0] or pairs[i][1] == pairs[j][1]:
            continue
        tried += 1
        collisions += bool(latin_keys[i] & cyrillic_keys[j])
        false_matches += name_similarity(pairs[i][0], pairs[j][1], None, CYRILLIC_LANG).score >= threshold
    total_weight = sum(count for _, _, count in pairs)
    return {
        "pairs": len(pairs),
        "key_recall": sum(hits) / len(hits),
        "key_recall_weighted": sum(count for hit, (_, _, count) in zip(hits, pairs, strict=True) if hit)
        / total_weight,
        "key_collision_rate": collisions / negatives,
        "mean_latin_keys": sum(map(len, latin_keys)) / len(latin_keys),
        "similarity_recall": sum(similar) / len(similar),
        "similarity_false_match_rate": false_matches / negatives,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--negatives", type=int, default=20000, help="random non-matching pairs to test")
    parser.add_argument("--threshold", type=float, default=TOKEN_MATCH, help="similarity score for a match")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    result = evaluate(read_pairs(args.pairs), args.negatives, args.threshold, args.seed)
    result["seconds"] = round(time.perf_counter() - start, 1)
    rounded = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
    json.dump(rounded, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
