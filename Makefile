# newsgraph: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
CORPUS ?= examples/corpus
DB     ?= demo.db
OUT    ?= out

.PHONY: setup demo test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Ingest the demo corpus (or CORPUS=any/folder/or/file.jsonl) into a store, show what it holds,
# and write the interchange records of the same inputs.
demo: setup
	mkdir -p $(OUT)
	$(BIN)/newsgraph --db $(DB) ingest $(CORPUS)
	$(BIN)/newsgraph --db $(DB) stats
	$(BIN)/newsgraph extract $(CORPUS) --output $(OUT)/demo.jsonl

test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/ingest.py --n 10000
	$(BIN)/python benchmarks/speed.py

clean:
	rm -rf $(OUT) $(DB) $(DB)-wal $(DB)-shm
