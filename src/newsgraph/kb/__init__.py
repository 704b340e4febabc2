"""Data package of the knowledge base: `data/` holds the built default KB (see `data/README.md`),
`facts/` the hand-recorded facts it is built from (see `facts/README.md`)."""
