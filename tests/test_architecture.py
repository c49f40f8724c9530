"""The house rules of docs/architecture.md, checked on the source: layers, cycles, the engine door, sizes."""

import ast
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "accounts", "customers", "segmentation", "rfm", "audit", "predictions", "mallseg")
# Each app may import only the apps listed for it; mallseg (the wiring) may import them all.
ALLOWED_APP_IMPORTS = {
    "core": set(),
    "accounts": {"core"},
    "customers": {"core"},
    "segmentation": {"core", "accounts", "customers"},
    "rfm": {"core", "accounts", "customers"},
    "audit": {"core"},
    "predictions": {"core", "accounts", "customers", "segmentation"},
    "mallseg": {"core", "accounts", "customers", "segmentation", "rfm", "audit", "predictions"},
}
ENGINE = "segmentation.engine"
ENGINE_ADAPTER = "segmentation.engine_adapter"
MAX_MODULE_LINES = 250
# The project's one settings module reads every setting from the environment, grouped by section:
# splitting it would scatter the configuration reference, so it may grow past the limit.
LONG_MODULES_ALLOWED = {"mallseg.settings"}
MAX_FUNCTION_LINES = 50


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _imported_names(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Every name imported anywhere in the module, functions included, made absolute."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return names


@cache
def _import_graph() -> dict[str, set[str]]:
    """Project module -> the project modules it imports (``from a import b`` counts b if it is a module)."""
    modules = _modules()
    graph = {}
    for module, path in modules.items():
        names = _imported_names(ast.parse(path.read_text()), module, path.name == "__init__.py")
        graph[module] = {name for name in names if name in modules and name != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _app(module: str) -> str:
    return module.split(".")[0]


def test_no_module_imports_itself_back_through_others():
    assert _cycles(_import_graph()) == []


def test_apps_import_only_the_apps_below_them():
    breaches = [
        f"{module} imports {target}"
        for module, targets in _import_graph().items()
        for target in targets
        if _app(target) != _app(module) and _app(target) not in ALLOWED_APP_IMPORTS[_app(module)]
    ]
    assert breaches == []


def test_the_customer_book_knows_nothing_of_segmentation():
    assert [module for module in _modules() if _app(module) == "customers"], "no customers modules found"
    assert not any(
        target.startswith("segmentation")
        for module, targets in _import_graph().items()
        if _app(module) == "customers"
        for target in targets
    )


def _in_engine(module: str) -> bool:
    return module == ENGINE or module.startswith(f"{ENGINE}.")


def test_the_predictions_engine_is_pure_maths():
    """Like segmentation's engine: no Django, no other part of the project."""
    modules = _modules()
    for module, path in modules.items():
        if not module.startswith("predictions.engine"):
            continue
        names = _imported_names(ast.parse(path.read_text()), module, path.name == "__init__.py")
        assert not {name for name in names if name.split(".")[0] == "django"}, module
        outside = {name for name in names if name in modules and not name.startswith("predictions.engine")}
        assert not outside, f"{module} imports {sorted(outside)}"


def test_only_the_adapter_imports_the_engine():
    callers = {
        module
        for module, targets in _import_graph().items()
        if not _in_engine(module) and any(_in_engine(target) for target in targets)
    }
    assert callers == {ENGINE_ADAPTER}


@pytest.mark.parametrize("module", sorted(set(_modules()) - LONG_MODULES_ALLOWED))
def test_module_is_short(module):
    lines = len(_modules()[module].read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines; split it along its concerns"


def test_functions_are_short():
    long_functions = []
    for module, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append(f"{module}.{node.name}: {length} lines")
    assert long_functions == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_starting_django_does_not_import_the_maths_libraries():
    """Models take the engine's vocabulary at start-up; scikit-learn, SciPy and kneed (about 1.3 s)
    load only when a computation needs them, so commands and web workers start fast."""
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, django; django.setup(); "
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'sklearn', 'scipy', 'kneed'}))",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mallseg.settings", "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert started.stdout.strip() == "[]"
