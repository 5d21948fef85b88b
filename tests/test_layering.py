"""The layers import one way: scrapers/ and skills/ import nothing of ours but themselves."""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT

OURS = {"scrapers", "skills", "pipeline", "flows", "bench", "tests"}


@pytest.mark.parametrize("package", ["scrapers", "skills"])
def test_bottom_layers_import_only_themselves(package):
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            wrong += [f"{path.relative_to(ROOT)}: {name}" for name in names
                      if name.split(".")[0] in OURS - {package}]
    assert wrong == []
