# make run: set up what is missing, migrate, start (Telegram when INTAKE_TELEGRAM_TOKEN is set, else the console)
# make test: set up what is missing and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LANGS := $(notdir $(wildcard locales/*))
PO := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test catalogs compile lint bench bench-quick clean browser-deps
NODE_DEPS := tests/web/node_modules/.installed

run: $(VENV)/.installed compile
	$(BIN)/intake db upgrade
	exec $(BIN)/intake run

test: $(VENV)/.installed compile browser-deps
	$(BIN)/pytest

# What the browser tests need from npm (a real OpenID Connect provider, axe-core), from the project's own
# package.json and package-lock.json. Without npm the tests that need them skip and say why.
browser-deps:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_DEPS); \
	else echo "npm not found: the single sign-on and accessibility tests will be skipped"; fi

$(NODE_DEPS): tests/web/package.json tests/web/package-lock.json
	npm ci --prefix tests/web --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# .mo files are built from the committed .po files, never committed themselves
compile: $(MO)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -D messages -l $* -i $< -o $@

# extract the msgids from the code, merge them into every catalog, compile
catalogs: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -k N_ -k P_:1c,2 -k NN_:1,2 -c Translators: \
		--project "Sollefteå intake" --copyright-holder "Sollefteå kommun" -o locales/messages.pot bot dialogs casework
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -d locales -D messages -i locales/messages.pot
	$(MAKE) compile

lint: $(VENV)/.installed
	$(BIN)/ruff check .

# simulated people through the real Application against an in-process Bot API; figures in bench/out/
# (bench/RESULTS.md reads them). bench: everything, about 20 minutes, PostgreSQL too when the local
# server answers; bench-quick: SQLite and the baseline, under a minute.
bench: $(VENV)/.installed compile
	$(BIN)/python -m bench

bench-quick: $(VENV)/.installed compile
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) locales/*/LC_MESSAGES/*.mo tests/web/node_modules
