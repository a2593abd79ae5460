"""The house stays layered: the platform (layers/shared/python/crm) knows no bounded context; the
runtime (functions/, the layer) never imports the local stack, the CDK app or aws_cdk; and neither
local/ nor infra/ imports the other."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTEXTS = {p.name for p in (ROOT / "functions").iterdir() if (p / "__init__.py").exists()}


def _imports(tree: Path) -> dict[str, set[str]]:
    """Top-level package names each module of a tree imports (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in tree.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_given_the_platform_then_it_imports_no_context():
    offenders = {m: n & CONTEXTS for m, n in _imports(ROOT / "layers").items() if n & CONTEXTS}
    assert offenders == {}


def test_given_the_runtime_then_it_never_imports_the_local_stack_or_the_cdk_app():
    forbidden = {"local", "infra", "aws_cdk", "constructs", "moto"}
    for tree in ("functions", "layers"):
        offenders = {m: n & forbidden for m, n in _imports(ROOT / tree).items() if n & forbidden}
        assert offenders == {}, tree


def test_given_local_and_infra_then_neither_imports_the_other():
    assert not {m for m, n in _imports(ROOT / "local").items() if "infra" in n}
    assert not {m for m, n in _imports(ROOT / "infra").items() if "local" in n}
