"""The README's set-up and test commands are exactly what CI runs."""
import re

from tests.paths import REPO_ROOT


def readme_commands() -> list[str]:
    text = (REPO_ROOT / 'README.md').read_text()
    commands = []
    for heading in ('Set-up', 'Tests'):
        section = re.search(rf'^## {heading}\n(.*?)(?=^## )', text, flags=re.S | re.M)
        assert section, f'README has no "## {heading}" section'
        block = re.search(r'```bash\n(.*?)```', section.group(1), flags=re.S)
        assert block, f'README section "{heading}" has no bash block'
        commands.extend(line for line in block.group(1).strip().splitlines() if not line.startswith('#'))
    return commands


def test_ci_runs_the_readme_commands_in_order():
    ci_lines = [line for line in (REPO_ROOT / '.ci/run').read_text().splitlines()
                if line and not line.startswith(('#', 'set ', 'cd '))]
    assert ci_lines == readme_commands()
