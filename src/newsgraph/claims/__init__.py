"""Claims: numbers that report a count or an amount, with what they count, since when and who says so.

- `find_quantities(text, lang)` / `parse_quantity(text, lang)`: numbers in a language's notation;
- `find_claims(doc)`: the claims of a document (the "claims" component fills `doc.claims` with them).
"""

from newsgraph.claims.component import find_claims
from newsgraph.claims.numbers import Quantity, find_quantities, parse_quantity

__all__ = ["Quantity", "find_claims", "find_quantities", "parse_quantity"]
