PY := .venv/bin/python
OFFLINE := HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
STAMP := .venv/.installed

.PHONY: install demo test bench

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

demo: install
	$(OFFLINE) .venv/bin/stance extract examples/meeting.txt -o - --table

test: install
	$(OFFLINE) $(PY) -m pytest -q

bench: install
	$(OFFLINE) $(PY) benchmarks/run_all.py
