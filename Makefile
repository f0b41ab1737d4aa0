# memi.az: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app wsgi

.PHONY: run test install lint bench fuzz audit worker clean translations

# Compiled catalogues (git-ignored): rebuilt from a .po only when it changed.
LOCALES := az ru
MO      := $(foreach l,$(LOCALES),memi/translations/$(l)/LC_MESSAGES/messages.mo)

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

memi/translations/%/LC_MESSAGES/messages.mo: memi/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# For developers after changing user-facing text: extract messages.pot and merge it into each messages.po.
translations: install
	$(FLASK) translate update

run: install $(MO)
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) worker & WORKER=$$!; trap "kill $$WORKER" EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

worker: install $(MO)
	$(FLASK) worker

test: install $(MO)
	$(BIN)/pytest $(PYTEST_ARGS)

fuzz: install
	BIN=$(BIN) scripts/api_fuzz.sh

bench: install $(MO)
	$(BIN)/python bench/run.py
	[ "$${BENCH_SEARCH:-1}" = 0 ] || BENCH_DB=$${BENCH_DB:-memi_bench} BENCH_REUSE=1 $(BIN)/python bench/search_bench.py
	[ "$${BENCH_CHAT:-1}" = 0 ] || $(BIN)/python bench/chat_bench.py

audit: install
	$(BIN)/python scripts/audit_deps.py

lint: install
	$(BIN)/ruff check memi tests migrations wsgi.py
	$(BIN)/ruff format --check memi tests migrations wsgi.py
	$(BIN)/python scripts/check_layers.py

clean:
	rm -rf $(VENV) .pytest_cache
