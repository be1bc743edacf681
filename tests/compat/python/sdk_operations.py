"""Prints every operation of the installed FlexPrice Python SDK as JSON, read from its sources.

Each operation is `<group>.<method>` as a user calls it (`client.customers.create_customer`), with the
HTTP method, path and operation id the generated code sends. `src/coverage.ts` runs this.
"""

from __future__ import annotations

import ast
import json
import sys
from importlib.metadata import version
from pathlib import Path

import flexprice


def _constant(node: ast.AST) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _sub_sdks(package: Path) -> dict:
    """The client's attributes (`customers`) → (module, class), from `Flexprice._sub_sdk_map`."""
    tree = ast.parse((package / "sdk.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_sub_sdk_map" for t in node.targets):
            return {_constant(k): tuple(_constant(e) for e in v.elts) for k, v in zip(node.value.keys, node.value.values)}
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "_sub_sdk_map":
            return {_constant(k): tuple(_constant(e) for e in v.elts) for k, v in zip(node.value.keys, node.value.values)}
    raise SystemExit("flexprice/sdk.py has no _sub_sdk_map")


def main() -> None:
    package = Path(flexprice.__file__).parent
    operations = []
    for group, (module, class_name) in sorted(_sub_sdks(package).items()):
        tree = ast.parse((package / f"{module.split('.')[-1]}.py").read_text())
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name):
            for fn in cls.body:
                # Every operation has a `_async` twin with the same request; list it once.
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                found = {}
                for node in ast.walk(fn):
                    if isinstance(node, ast.keyword) and node.arg in ("method", "path", "operation_id") and isinstance(node.value, ast.Constant):
                        found.setdefault(node.arg, node.value.value)
                if "path" in found:
                    operations.append({"operation": f"{group}.{fn.name}", "method": found["method"], "path": found["path"], "operationId": found.get("operation_id", "")})
    json.dump({"package": "flexprice", "version": version("flexprice"), "operations": operations}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
