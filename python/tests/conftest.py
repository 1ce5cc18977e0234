"""Builds the wheel once, installs it into a fresh venv, and lets the tests
run Python in that venv (never the developer's environment).

Environment:
  ZHIBIAO_WHEEL          a wheel already built: install it instead of building
  ZHIBIAO_WHEEL_PROFILE  the cargo profile maturin builds with (default
                         `dev`: it reuses what `cargo test` compiled; the
                         wheel for analysts is built with `--release`)
  ZHIBIAO_REQUIRE_CORPUS set (CI does): a missing ../shared/corpus fails the
                         tests that use it instead of skipping them
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def _run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        raise AssertionError(
            f"{cmd} exited {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    return done


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    given = os.environ.get("ZHIBIAO_WHEEL")
    if given:
        path = Path(given)
        assert path.is_file(), f"ZHIBIAO_WHEEL={given} is not a file"
        return path
    out = tmp_path_factory.mktemp("wheel")
    profile = os.environ.get("ZHIBIAO_WHEEL_PROFILE", "dev")
    _run(
        [sys.executable, "-m", "maturin", "build", "--profile", profile,
         "--interpreter", sys.executable, "--out", str(out)],
        cwd=ROOT,
    )
    wheels = list(out.glob("zhibiao-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


class Env:
    """A fresh venv with the wheel installed."""

    def __init__(self, root: Path):
        self.root = root
        bindir = root / ("Scripts" if os.name == "nt" else "bin")
        self.python = str(bindir / "python")
        self.zhibiao = str(bindir / "zhibiao")

    def py(self, code: str, *args: str):
        """Runs `code` in the venv (PATH without cargo); returns the JSON it
        prints last."""
        done = _run([self.python, "-c", textwrap.dedent(code), *args], env=self.env(), cwd=self.root)
        lines = done.stdout.strip().splitlines()
        assert lines, f"no output; stderr:\n{done.stderr}"
        return json.loads(lines[-1])

    def cmd(self, *args: str, check: bool = True):
        """Runs the venv's `zhibiao` command."""
        done = subprocess.run([self.zhibiao, *args], capture_output=True, text=True,
                              env=self.env(), cwd=self.root)
        if check:
            assert done.returncode == 0, f"exit {done.returncode}: {done.stderr}"
        return done

    def env(self):
        env = dict(os.environ)
        # The installed command must not need cargo: nothing of the Rust
        # toolchain on PATH, only the venv and the system.
        env["PATH"] = os.pathsep.join(
            [str(Path(self.python).parent), "/usr/bin", "/bin"]
        )
        env.pop("PYTHONPATH", None)
        env["NO_COLOR"] = "1"
        return env


@pytest.fixture(scope="session")
def env(wheel, tmp_path_factory) -> Env:
    root = tmp_path_factory.mktemp("venv")
    venv.create(root, with_pip=True, clear=True)
    e = Env(root)
    _run([e.python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel)])
    return e


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "seeds").is_dir():
        if os.environ.get("ZHIBIAO_REQUIRE_CORPUS"):
            pytest.fail(f"{CORPUS}/seeds is missing and ZHIBIAO_REQUIRE_CORPUS is set")
        pytest.skip(f"{CORPUS}/seeds is not here")
    return CORPUS
