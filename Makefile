# The two commands a newcomer needs: `make demo` and `make test`. Each does all of its own set-up.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup system lint typecheck clean

demo: setup
	$(BIN)/payables demo

test: setup
	scripts/run-tests.sh

setup: system $(STAMP)

system:
	scripts/install-system.sh

# torch is pinned to the CPU build first: left to resolve freely it pulls a CUDA build of several GB.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[test,compare]" --config-settings editable_mode=compat
	touch $(STAMP)

lint:
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy models ingest extraction matching erp review_ui payables synth

clean:
	rm -rf var .mypy_cache .ruff_cache .pytest_cache
