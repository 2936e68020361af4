# Two commands on a fresh machine: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint bench bench-features bench-import bench-serve bench-readers clean wiki notebooks

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg validate
	$(BIN)/kg stats
	mkdir -p out
	$(BIN)/kg export --format turtle -o out/graph.ttl
	$(BIN)/kg brief --document doc/briefing-mallen-behavioral-selection -o out/briefing-mallen.md
	$(BIN)/kg tensions --all --suggested -o out/tensions.md
	$(BIN)/kg viz -o out/graph.html

# The field's knowledge base: import a longterm-wiki snapshot (or WIKI=PATH, a clone) beside the curated corpus
WIKI ?= ../shared/corpora/longterm-wiki
wiki: $(STAMP)
	$(BIN)/kg --data data import longterm-wiki $(WIKI) -o out/wiki-data
	$(BIN)/kg --data data --data out/wiki-data validate
	$(BIN)/kg --data data --data out/wiki-data stats
	$(BIN)/kg --data data --data out/wiki-data brief --topic reward-hacking -o out/briefing-reward-hacking.md
	$(BIN)/kg --data data --data out/wiki-data tensions --topic deceptive-alignment -o out/tensions-deceptive-alignment.md
	$(BIN)/kg --data data --data out/wiki-data viz --focus reward-hacking --depth 1 -o out/wiki-reward-hacking.html

# Execute notebooks/*.ipynb top to bottom (the field study imports WIKI itself) into out/notebooks/*.html
notebooks: $(STAMP)
	KG_WIKI=$(abspath $(WIKI)) $(BIN)/python notebooks/run.py --html out/notebooks

test: $(STAMP)
	$(BIN)/python -m pytest

# Every kg command on a generated corpus (SIZE=S ≈ 10k, M ≈ 100k, L ≈ 1M triples), fresh processes, median of
# RUNS, as ratios to a raw pyoxigraph load: a table, and out/bench.json (S, M and L side by side)
SIZE ?= M
RUNS ?= 3
bench: $(STAMP)
	$(BIN)/python -m bench.run --size $(SIZE) --runs $(RUNS)

# The older per-feature benchmarks: query engines (rdflib against Oxigraph), viz in chromium, every export format
bench-features: $(STAMP)
	$(BIN)/python -m bench.bench_query
	$(BIN)/python -m bench.bench_viz
	$(BIN)/python -m bench.bench_export

# The import of the longterm-wiki snapshot and commands on the combined graph
bench-import: $(STAMP)
	$(BIN)/python -m bench.bench_import --wiki $(WIKI)

# Growth of each reader (validate, ingest, load_rdf) from a 1x to a 10x input, in fresh processes (target <= 12x)
bench-readers: $(STAMP)
	$(BIN)/python -m bench.bench_readers

# kg serve beside oxigraph serve under the same load (8 clients, 60 s each, bundled corpus and M): out/bench-serve.json
bench-serve: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/python -m bench.bench_serve

# ruff on the code, mypy (strict, as [tool.mypy] in pyproject.toml says) on the package, which ships py.typed
lint: $(STAMP)
	$(BIN)/ruff check kg tests bench conftest.py
	$(BIN)/mypy kg

clean:
	rm -rf $(VENV) out .pytest_cache
