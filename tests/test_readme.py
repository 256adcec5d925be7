"""The README's Quick start and .ci/run must agree, and stay true."""

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", section, flags=re.S)
    return [line.strip() for b in blocks for line in b.strip().splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands():
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    run, test = commands
    assert "framing run" in run and "pip install" in run and "-c constraints.txt" in run
    assert "pytest" in test and "pip install" in test
    assert "ruff check ." in test and "ruff format --check ." in test


def test_pytest_runs_every_docstring_example():
    import tomllib

    pytest_cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    assert "--doctest-modules" in pytest_cfg["ini_options"]["addopts"]
    assert "src/framing" in pytest_cfg["ini_options"]["testpaths"]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _quick_start_commands()[1]
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert test_command in ci_lines


def test_constraints_pin_cpu_torch():
    constraints = (ROOT / "constraints.txt").read_text().splitlines()
    assert "torch==2.13.0" in constraints
    assert not any(line.startswith(("nvidia-", "triton")) for line in constraints)


def test_seeds_are_bundled_unchanged():
    names = sorted(p.name for p in (ROOT / "corpus").glob("*.txt"))
    assert names == ["000_5904578f6037d9dc.txt", "004_a2aa02edca634915.txt"]


def test_docs_name_no_one_s_machine():
    # an absolute path that exists only where a doc was written (issue 17, point 13)
    machine_path = re.compile(r"(?<![\w.~])/(?:work|home|Users|root|tmp|opt|mnt|srv)/")
    docs = [p for p in ROOT.rglob("*.md") if not any(part.startswith(".") for part in p.parts)]
    docs = [p for p in docs if "node_modules" not in p.parts and "results" not in p.parts]
    assert ROOT / "benchmarks" / "README.md" in docs
    offenders = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in docs
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if machine_path.search(line)
    ]
    assert not offenders, offenders


def test_benchmarks_run_with_the_readme_python():
    text = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/python benchmarks/" in text
