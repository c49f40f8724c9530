"""The engine is pure maths: it must never import Django or the rest of the project."""

import ast
import sys
from pathlib import Path

import segmentation.engine

ENGINE_DIR = Path(segmentation.engine.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy", "pandas", "sklearn", "kneed", "scipy"}


def test_engine_imports_only_the_standard_library_and_maths_packages():
    outside = []
    for path in sorted(ENGINE_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY:
                    outside.append(f"{path.name}: {module}")
    assert outside == []
