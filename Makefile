# Everything installs itself: `make dev` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-installed
# The runtime dependencies pinned with hashes (`make lock`): the dev install and the Lambda dependency layer use it.
LOCK := requirements.lock
PINS := $(VENV)/locked-pins.txt
PIP_COMPILE := $(VENV)/bin/pip-compile
CDK := node_modules/.bin/cdk
# make synth/deploy/destroy: STACK_NAME names the stack and every physical name in it (two names, two stacks side
# by side); AWS_REGION (else the AWS profile's region) says where; APPROVE=never deploys without asking;
# CDK_ARGS passes more, e.g. CDK_ARGS="-c api_cloudwatch_role=true".
STACK_NAME ?= Crm
APPROVE ?= broadening
CDK_ARGS ?=
OUTPUTS_FILE ?= cdk.out/$(STACK_NAME).outputs.json
CDK_CONTEXT = $(strip -c stack_name=$(STACK_NAME) $(if $(AWS_REGION),-c region=$(AWS_REGION)) $(CDK_ARGS))
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true

.PHONY: dev test bench synth deploy destroy lock sdk lint format deps clean-data

# Hash-checking mode cannot mix with unhashed requirements in one pip call: first the locked runtime set (every file
# checked against its hash), then the project with its dev tools, held to the same pins so no dev tool moves one.
# Those pins go in as a constraints file without hashes: a constraint with hashes would switch the second call
# into hash-checking mode too.
$(STAMP): pyproject.toml $(LOCK) $(PINS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --requirement $(LOCK)
	$(PY) -m pip install --quiet --editable '.[dev]' --constraint $(PINS)
	@touch $(STAMP)

# The lock's `name==version` lines alone.
$(PINS): $(LOCK)
	@mkdir -p $(@D)
	sed -n 's/^\([^ #-][^ ]*==[^ ]*\).*/\1/p' $(LOCK) > $@

node_modules/.bin/cdk: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

# pip-tools alone, not the locked install: `make lock` must work while pyproject.toml and the lock disagree.
$(PIP_COMPILE):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'pip-tools>=7.4'

deps: $(STAMP)

## Run the whole CRM locally on http://127.0.0.1:$${PORT:-3000} (moto-emulated AWS, same handlers as the cloud).
dev: $(STAMP)
	$(PY) -m local

## Run every test: unit, integration (moto), infra (CDK template assertions), e2e (local stack over HTTP), one
## worker per core (pytest-xdist), each test file on one worker so a file's local stack starts once.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest --numprocesses=auto --dist=loadfile

## Print speed figures as ratios measured in one run.
bench: $(STAMP)
	$(PY) -m bench

## Synthesize the CloudFormation template offline into cdk.out/ (the dependency layer is built by pip, no Docker).
synth: $(STAMP) $(CDK)
	$(CDK) synth --no-notices --quiet $(CDK_CONTEXT)

## Deploy to AWS (credentials and `npx cdk bootstrap` first); writes the outputs to $(OUTPUTS_FILE) and prints them.
deploy: $(STAMP) $(CDK)
	$(CDK) deploy --no-notices $(CDK_CONTEXT) --require-approval $(APPROVE) --outputs-file $(OUTPUTS_FILE)
	$(PY) scripts/deploy_outputs.py deployed $(OUTPUTS_FILE) $(STACK_NAME)

## Delete the stack (asks first unless APPROVE=never); the table and the log groups are retained.
destroy: $(STAMP) $(CDK)
	$(CDK) destroy --no-notices $(CDK_CONTEXT) $(if $(filter never,$(APPROVE)),--force)
	$(PY) scripts/deploy_outputs.py destroyed $(OUTPUTS_FILE) $(STACK_NAME)

## Pin pyproject.toml's runtime dependencies with hashes into requirements.lock. Current pins that still fit stay;
## UPGRADE=1 moves every pin to its newest release. Then `make test` reinstalls and `make deploy` rebuilds the layer.
lock: $(PIP_COMPILE)
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_COMPILE) --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) --output-file=$(LOCK) pyproject.toml

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
