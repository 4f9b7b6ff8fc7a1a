"""The keyword arguments of ``CORS``, ``init_app`` and ``cross_origin`` are typed: mypy
accepts the right calls of tests/typecheck/check_calls.py and reports every wrong one
(configuration.md, "The API"), and the run time agrees with the types on each of them."""

from __future__ import annotations

import importlib.util
import inspect
import os
import re
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import flask_cors
from flask_cors import AppSettings, CORSArguments, ResourceOptions
from flask_cors.extension import APP_SETTINGS, KNOWN_NAMES
from flask_cors.options import OPTION_NAMES

mypy_api = pytest.importorskip("mypy.api")

CHECK_FILE = Path(__file__).parent / "typecheck" / "check_calls.py"
#: The lowest Python the package supports (its Unpack comes from typing_extensions there)
#: and the one running the tests.
PYTHON_VERSIONS = sorted({"3.10", f"{sys.version_info.major}.{sys.version_info.minor}"})


def load_cases() -> ModuleType:
    spec = importlib.util.spec_from_file_location("typecheck_check_calls", CHECK_FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = load_cases()


def by_name(cases: list[Callable[[], object]]) -> list[object]:
    return [pytest.param(case, id=case.__name__) for case in cases]


@pytest.fixture(scope="session")
def mypy_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, int]]:
    """mypy --strict on the check file, once per session and Python version (the suite
    runs each test module twice, once per hook path)."""
    work = tmp_path_factory.mktemp("mypy")
    # A config of its own: the project's pins python_version, and the check is the same
    # wherever the tests run from.
    config = work / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\nwarn_unused_ignores = True\n")
    reports: dict[str, tuple[str, int]] = {}
    for version in PYTHON_VERSIONS:
        stdout, stderr, status = mypy_api.run(
            [
                "--config-file",
                str(config),
                "--python-version",
                version,
                "--cache-dir",
                str(work / "cache"),
                "--no-error-summary",
                "--show-error-codes",
                str(CHECK_FILE),
            ]
        )
        reports[version] = (stdout + stderr, status)
    return reports


@pytest.mark.parametrize("version", PYTHON_VERSIONS)
def test_mypy_accepts_the_right_calls_and_reports_each_wrong_one(
    mypy_reports: dict[str, tuple[str, int]], version: str
) -> None:
    # Every wrong call carries "type: ignore[<code>]" and --warn-unused-ignores is on: a
    # wrong call that stops being an error, or becomes another error, fails here.
    output, status = mypy_reports[version]
    assert (output, status) == ("", 0)


def test_each_case_of_the_check_file_has_its_mark() -> None:
    for case, _error, _says in CASES.WRONG:
        assert inspect.getsource(case).count("# type: ignore[") == 1, case.__name__
    for case in CASES.NARROWER:
        assert inspect.getsource(case).count("# type: ignore[") == 1, case.__name__
    for case in [*CASES.RIGHT, *(case for case, _says in CASES.REFUSED_AT_START)]:
        assert "type: ignore" not in inspect.getsource(case), case.__name__
    assert len(CASES.RIGHT) >= 10
    assert len(CASES.WRONG) >= 20


@pytest.mark.usefixtures("without_installed_plugins")
@pytest.mark.parametrize("case", by_name(CASES.RIGHT))
def test_calls_the_types_accept_start_the_app(case: Callable[[], object]) -> None:
    case()


@pytest.mark.usefixtures("without_installed_plugins")
@pytest.mark.parametrize(
    ("case", "error", "says"),
    [pytest.param(*wrong, id=wrong[0].__name__) for wrong in CASES.WRONG],
)
def test_calls_the_types_refuse_fail_at_start_up_too(
    case: Callable[[], object], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=re.escape(says)):
        case()


@pytest.mark.usefixtures("without_installed_plugins")
@pytest.mark.parametrize(
    ("case", "says"),
    [pytest.param(*refused, id=refused[0].__name__) for refused in CASES.REFUSED_AT_START],
)
def test_values_no_type_can_refuse_fail_at_start_up(case: Callable[[], object], says: str) -> None:
    with pytest.raises(flask_cors.CORSConfigError, match=re.escape(says)):
        case()


@pytest.mark.usefixtures("without_installed_plugins")
@pytest.mark.parametrize("case", by_name(CASES.NARROWER))
def test_values_only_the_types_refuse_still_work_at_run_time(
    case: Callable[[], object],
) -> None:
    case()


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        (ResourceOptions, OPTION_NAMES),
        (AppSettings, frozenset(APP_SETTINGS)),
        (CORSArguments, KNOWN_NAMES),
    ],
    ids=["ResourceOptions", "AppSettings", "CORSArguments"],
)
def test_typed_dicts_name_every_option_and_setting(typed: type, names: frozenset[str]) -> None:
    hints = typing.get_type_hints(typed)
    assert set(hints) == set(names)
    assert typed.__optional_keys__ == names  # type: ignore[attr-defined]


def test_the_package_imports_and_serves_without_typing_extensions() -> None:
    # configuration.md: the typing adds no dependency (typing_extensions is for type
    # checkers on Python 3.10 only).
    script = (
        "import sys; sys.modules['typing_extensions'] = None\n"
        "from flask import Flask\n"
        "from flask_cors import CORS\n"
        "app = Flask('plain'); CORS(app, origins='https://app.example')\n"
        "headers = app.test_client().get('/', headers={'Origin': 'https://app.example'}).headers\n"
        "assert headers['Access-Control-Allow-Origin'] == 'https://app.example'\n"
    )
    env = {**os.environ, "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=60)
