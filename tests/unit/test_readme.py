"""README's test command and `.ci/run` must stay the same command."""

from tests.support.paths import REPO


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = ci_lines[-1]
    assert command.startswith("python3 -m venv .venv")
    assert f"```sh\n{command}\n```" in readme
