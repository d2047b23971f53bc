"""The repository's own style rules that a linter does not check: short functions, no path hacks in scripts."""
import ast
import re

import pytest

from tests.paths import REPO_ROOT

MAX_FUNCTION_LINES = 60  # code lines, docstring excluded
#: MMPose's own unit tests, ported unchanged as the yardstick of our classes, keep MMPose's layout.
PORTED = re.compile(r'tests/.*/test_mmpose_[a-z_]+\.py$')
FOLDERS = ('projects', 'tools', 'benchmarks', 'demo', 'tests')
SOURCES = [p for folder in FOLDERS for p in (REPO_ROOT / folder).rglob('*.py') if not PORTED.search(p.as_posix())]


def _docstring_lines(node: ast.AST) -> int:
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.end_lineno - first.lineno + 1
    return 0


def test_no_long_functions():
    long = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1 - _docstring_lines(node)
                if lines > MAX_FUNCTION_LINES:
                    long.append(f'{path.relative_to(REPO_ROOT)}:{node.lineno} {node.name} ({lines} lines)')
    assert not long, 'functions over 60 lines:\n' + '\n'.join(long)


@pytest.mark.parametrize('folder', ['tools', 'benchmarks', 'demo'])
def test_scripts_use_the_installed_package(folder):
    """The package is installed editable: scripts import it, they do not edit sys.path or import the tests."""
    for path in (REPO_ROOT / folder).rglob('*.py'):
        text = path.read_text()
        assert 'sys.path.insert' not in text and 'sys.path.append' not in text, path
        assert not re.search(r'^\s*(from|import) tests\b', text, flags=re.M), path
