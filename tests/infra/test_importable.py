"""The code imports as `make dev`, `cdk synth` and `make bench` start it: a fresh interpreter in the
repository root, with no sys.path edits anywhere. `pip install -e .` (pyproject's
[tool.setuptools.packages.find]) makes the layer's `crm` and every function package importable, as
Lambda does with /opt/python and the task root; pytest's `pythonpath` is not there to help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crm import catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_given_a_fresh_interpreter_then_every_handler_the_local_stack_and_the_cdk_app_import() -> None:
    """Given the catalogue's handlers, when a new interpreter imports them, the local stack and the CDK app
    from the repository root, then all of them import."""
    modules = sorted({spec.handler.rsplit(".", 1)[0] for spec in catalogue.ALL_FUNCTIONS})
    modules += ["local.server", "local.provision", "local.event_chain", "infra.app"]
    program = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

    result = subprocess.run(
        [sys.executable, "-c", program, *modules], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, (
        f"{result.stderr[-2000:]}\nA new package under functions/ or layers/shared/python needs "
        "`.venv/bin/pip install -e .` (make deps) to be importable outside pytest."
    )
