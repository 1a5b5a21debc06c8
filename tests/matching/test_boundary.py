"""matching/ is a plain library: it must never import Django or DRF (layers: api → careers → matching)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

MATCHING = Path(__file__).resolve().parents[2] / "matching"
FORBIDDEN = ("django", "rest_framework", "careers", "api")


def imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            modules.append(str(node.args[0].value))
    return modules


def forbidden_imports(root: Path) -> list[str]:
    return [f"{path.relative_to(root.parent)}: {module}" for path in sorted(root.rglob("*.py"))
            for module in imported_modules(path) if module.split(".")[0] in FORBIDDEN]


def test_matching_package_has_python_files():
    assert len(list(MATCHING.rglob("*.py"))) >= 5


def test_matching_never_imports_django_drf_or_the_app_layers():
    assert forbidden_imports(MATCHING) == []


@pytest.mark.parametrize("source", [
    "import django\n", "from django.db import models\n", "from rest_framework import serializers\n",
    "import importlib\nimportlib.import_module('django.conf')\n", "from careers.models import Skill\n",
])
def test_the_check_catches_each_kind_of_import(tmp_path, source):
    package = tmp_path / "matching"
    package.mkdir()
    (package / "bad.py").write_text(source)
    assert forbidden_imports(package)
