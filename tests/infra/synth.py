"""Synthesizing the CRM stack for tests, without bundling assets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# Quiet jsii's notice about node 20 before aws_cdk is first imported.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import assertions

from infra.app import build_app
from infra.stack import CrmStack

# Assets are staged but never bundled: no pip run, no network.
NO_BUNDLING = {"aws:cdk:bundling-stacks": []}


@dataclass(frozen=True)
class Synthesized:
    stack: CrmStack
    template: assertions.Template
    cfn: dict[str, Any]  # the template as plain JSON

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.cfn["Resources"]


def synthesize(context: dict[str, Any] | None = None) -> Synthesized:
    """The stack as `cdk synth -c key=value ...` would give it for `context` (default: cdk.json's alone)."""
    _, stack = build_app(context={**NO_BUNDLING, **(context or {})}, builtin_validation=False)
    template = assertions.Template.from_stack(stack)
    return Synthesized(stack=stack, template=template, cfn=template.to_json())
