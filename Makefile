# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv when it is missing and (re)install the project when pyproject.toml, setup.py
# or constraints.txt changes. Every install is pinned by constraints.txt, so a green run today is
# green tomorrow; `make constraints` rewrites it from the working .venv after a deliberate upgrade.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
CONSTRAINTS := constraints.txt
# The project is built by the pinned setuptools inside .venv, not by a freshly downloaded one.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS)
LINT_PATHS := trainer tests benchmarks app.py setup.py

.PHONY: run workshop test install lint wheel constraints bench check clean oidc

# setuptools' "Editable installation ... folders with the same name as your package" notice only
# says what an editable install is; it is no problem here, so PYTHONWARNINGS keeps it unprinted.
$(STAMP): pyproject.toml setup.py $(CONSTRAINTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) pip setuptools
	PYTHONWARNINGS="ignore:Editable installation" $(PIP_INSTALL) --no-build-isolation -e '.[test,lint]'
	@touch $(STAMP)

install: $(STAMP)

# `trainer serve` rather than `streamlit run app.py`: the same app, plus the readiness route and the
# error boundary's hook for fragments and callbacks (see docs/team-deployment.md).
run: $(STAMP)
	$(BIN)/trainer serve --address 127.0.0.1 --port $(PORT)

# A workshop for people on the same network: listens on every interface and prints the address
# to type (or TRAINER_PUBLIC_URL). The host console shows it with a QR code.
workshop: $(STAMP)
	$(BIN)/trainer serve --lan --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Style, types and the import layering (contracts in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

# The installable wheel, in dist/ (build/ is cleared first so no stale module ships).
wheel: $(STAMP)
	rm -rf build dist
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

constraints: $(STAMP)
	{ echo "# Exact versions CI and 'make install' use; regenerate with 'make constraints'."; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -viE '^ecs-lambda-trainer( |=|$$)'; \
	} > $(CONSTRAINTS)

# The OpenID Connect provider the sign-in browser test runs (Node.js and npm; pinned by the lockfile).
oidc: tests/oidc/node_modules/.package-lock.json

tests/oidc/node_modules/.package-lock.json: tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund

check: $(STAMP)
	$(BIN)/trainer check

bench: $(STAMP)
	$(PIP_INSTALL) --no-build-isolation -e '.[test,bench]'
	$(BIN)/python benchmarks/study.py
	$(BIN)/python benchmarks/playground.py
	$(BIN)/python benchmarks/workshop.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
