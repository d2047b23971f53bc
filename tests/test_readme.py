"""The README runs as written: its set-up and test commands are exactly what CI runs, and its Python blocks run.

Blocks run here: every ```python block and the demo command of "Real-time inference", after the command of the
"Deploy" section that writes the model they open (``tools/deploy.py ... CKPT ...`` with ``CKPT`` = ``none``, the
tool's random weights), in a folder laid out like the repository with ``../shared`` beside it (skipped with the
reason when ``../shared`` is absent). The set-up and test blocks are CI's script
(:func:`test_ci_runs_the_readme_commands_in_order`). Not run here, each tested where its code is: the suite under
the AVX2 line (the whole suite again), training and testing (minutes of CPU time, or COCO 2017 and GPUs:
tests/engine, tests/configs), the other deploy, INT8 and pipeline-AP commands (COCO 2017 files: tests/deploy,
tests/tools), the demo on model names and the web demo (downloads, a server: tests/inference, tests/test_webui.py).
"""
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT


def readme_section(heading: str) -> str:
    """The text of the README's ``## heading`` section, up to the next ``## ``."""
    text = (REPO_ROOT / 'README.md').read_text()
    section = re.search(rf'^## {re.escape(heading)}\n(.*?)(?=^## |\Z)', text, flags=re.S | re.M)
    assert section, f'README has no "## {heading}" section'
    return section.group(1)


def code_blocks(text: str, language: str) -> list[str]:
    """The ```language blocks of ``text``."""
    return re.findall(rf'^```{language}\n(.*?)^```', text, flags=re.S | re.M)


def readme_commands() -> list[str]:
    commands = []
    for heading in ('Set-up', 'Tests'):
        blocks = code_blocks(readme_section(heading), 'bash')
        assert blocks, f'README section "{heading}" has no bash block'
        commands.extend(line for line in blocks[0].strip().splitlines() if not line.startswith('#'))
    return commands


def test_ci_runs_the_readme_commands_in_order():
    ci_lines = [line for line in (REPO_ROOT / '.ci/run').read_text().splitlines()
                if line and not line.startswith(('#', 'set ', 'cd '))]
    assert ci_lines == readme_commands()


def shell_commands(block: str) -> list[list[str]]:
    """The commands of a bash block as argument lists (continuation lines joined, comments dropped)."""
    return [shlex.split(line, comments=True) for line in block.replace('\\\n', ' ').splitlines() if line.strip()]


@pytest.fixture(scope='module')
def readme_root(tmp_path_factory, shared_dir: Path) -> Path:
    """A folder laid out like the repository (its configs and tools, ``../shared`` beside it) after the README's
    deploy command (random weights for ``CKPT``): the ``work_dirs/`` the README's Python blocks open."""
    pytest.importorskip('mmdeploy', reason='MMDeploy is needed by tools/deploy.py')
    root = tmp_path_factory.mktemp('readme') / 'repo'
    root.mkdir()
    for name in ('configs', 'deploy_configs', 'tools', 'demo'):
        (root / name).symlink_to(REPO_ROOT / name)
    (root.parent / 'shared').symlink_to(shared_dir)
    deploy = shell_commands(code_blocks(readme_section('Deploy'), 'bash')[0])[0]
    assert deploy[:2] == ['python', 'tools/deploy.py'] and 'CKPT' in deploy, deploy
    argv = [sys.executable, *deploy[1:]]
    argv[argv.index('CKPT')] = 'none'
    done = subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return root


def test_readme_has_python_blocks():
    assert code_blocks((REPO_ROOT / 'README.md').read_text(), 'python')


@pytest.mark.parametrize('index', range(len(code_blocks((REPO_ROOT / 'README.md').read_text(), 'python'))))
def test_python_block_runs_as_written(readme_root, index):
    code = code_blocks((REPO_ROOT / 'README.md').read_text(), 'python')[index]
    done = subprocess.run([sys.executable, '-c', code], cwd=readme_root, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f'README python block {index + 1}:\n{code}\n{done.stderr[-3000:]}'


def test_demo_block_runs_as_written(readme_root):
    """The first command of "Real-time inference" (the demo on the shared video), as written."""
    demo = shell_commands(code_blocks(readme_section('Real-time inference'), 'bash')[0])[0]
    assert demo[:2] == ['python', 'demo/pose_tracker_demo.py'], demo
    done = subprocess.run([sys.executable, *demo[1:]], cwd=readme_root, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert list((readme_root / 'work_dirs' / 'pose_tracker_demo').glob('*.json'))
