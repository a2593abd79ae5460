# Everything installs itself: `make dev` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-installed
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true

.PHONY: dev test bench synth sdk lint format deps clean-data

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

node_modules/.bin/cdk: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(STAMP)

## Run the whole CRM locally on http://127.0.0.1:$${PORT:-3000} (moto-emulated AWS, same handlers as the cloud).
dev: $(STAMP)
	$(PY) -m local

## Run every test: unit, integration (moto), infra (CDK template assertions), e2e (local stack over HTTP).
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

## Print speed figures as ratios measured in one run.
bench: $(STAMP)
	$(PY) -m bench

## Synthesize the CloudFormation template offline into cdk.out/.
synth: $(STAMP) node_modules/.bin/cdk
	npx cdk synth --no-notices --quiet

## Regenerate the typed Python SDK (sdk/crm_client) from the served OpenAPI document.
sdk: $(STAMP)
	$(PY) sdk/generate.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Forget all local data (the next `make dev` starts empty).
clean-data:
	rm -rf $${CRM_DATA_DIR:-.crm-data}
