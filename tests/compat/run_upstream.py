"""Run Flask-Cors 6.0.5's own test suite against this package.

The suite is not kept in this repository: its source distribution is downloaded from PyPI at
run time (``pip download --no-binary :all: --no-deps flask-cors==6.0.5``), checked against a
pinned SHA-256 and cached. Only its ``tests/`` folder is extracted, without its package, so
that ``import flask_cors`` finds this package; ``tests/core/test_helpers.py`` (which tests
Flask-Cors' private helper functions) and ``tests/typecheck/`` (static typing checks, not
run by pytest) are left out.

The tests run in a separate pytest process under a configuration of their own, like
upstream's: none of this repository's pytest settings (``filterwarnings = error`` among them)
apply, entry-point plugins of ``flask_cors`` are not loaded (a fresh install has none), and
warnings are reported, not raised: the suite configures loose regexes on purpose and this
package's lint says so. Any other warning issued from this package's own code fails the run.

The run is green when exactly the tests listed in ``expected_failures.txt`` fail. A listed
test that passes is reported too, so that the list only ever shrinks.

Usage: ``python tests/compat/run_upstream.py [--sdist PATH] [--cache DIR] [-v]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXPECTED_FAILURES = HERE / "expected_failures.txt"

UPSTREAM = "flask-cors"
VERSION = "6.0.5"
SDIST_NAME = "flask_cors-6.0.5.tar.gz"
SDIST_SHA256 = "30c5031552cd59f620ac0c8211dac45b345d3b2df310e7721879e4f46ef9c601"

#: Files of the sdist's ``tests/`` that are not run (paths relative to ``tests/``).
LEFT_OUT = ("core/test_helpers.py", "typecheck/")

#: Where the downloaded sdist is kept between runs (``build/`` is ignored by git).
DEFAULT_CACHE = REPO / "build" / "compat"

#: Statuses of an entry in ``expected_failures.txt``.
INTENDED = "intended"
PENDING_PREFIX = "pending"

#: Warning classes this package issues on purpose when it reads a configuration: none
#: (its lint findings are log records), so any warning from flask_cors is a stray one.
OWN_WARNINGS: frozenset[str] = frozenset()


class CompatError(RuntimeError):
    """The upstream suite could not be fetched or run at all."""


@dataclass(frozen=True)
class ExpectedFailure:
    test_id: str
    status: str
    reason: str

    @property
    def intended(self) -> bool:
        return self.status == INTENDED


def read_expected_failures(path: Path | None = None) -> dict[str, ExpectedFailure]:
    """Parse ``expected_failures.txt``: ``test id | status | reason`` per line.

    ``status`` is ``intended`` (a documented difference, listed in docs/migration.md) or
    ``pending <issue>.<item>`` (a known bug that a tracked change fixes).
    """
    path = path or EXPECTED_FAILURES
    entries: dict[str, ExpectedFailure] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = [part.strip() for part in text.split("|", 2)]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"{path.name}:{number}: expected 'test id | status | reason'")
        test_id, status, reason = parts
        if status != INTENDED and not status.startswith(PENDING_PREFIX + " "):
            raise ValueError(
                f"{path.name}:{number}: status {status!r} is neither {INTENDED!r} "
                f"nor '{PENDING_PREFIX} <issue>.<item>'"
            )
        if "::" not in test_id or not test_id.startswith("tests/"):
            raise ValueError(f"{path.name}:{number}: {test_id!r} is not a pytest test id")
        if test_id in entries:
            raise ValueError(f"{path.name}:{number}: {test_id} is listed twice")
        entries[test_id] = ExpectedFailure(test_id, status, reason)
    return entries


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_sdist(cache: Path) -> Path:
    """The pinned sdist, from ``cache`` or downloaded with pip into it."""
    cached = cache / SDIST_NAME
    if cached.is_file() and _sha256(cached) == SDIST_SHA256:
        return cached
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as download:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-binary",
            ":all:",
            "--no-deps",
            "--disable-pip-version-check",
            "--quiet",
            "--dest",
            download,
            f"{UPSTREAM}=={VERSION}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        got = Path(download) / SDIST_NAME
        if done.returncode != 0 or not got.is_file():
            raise CompatError(
                f"could not download {UPSTREAM}=={VERSION} from PyPI "
                f"(pip exit status {done.returncode}):\n{done.stderr.strip()}\n"
                "Offline, pass the sdist with --sdist PATH (or FLASK_CORS_COMPAT_SDIST)."
            )
        _check_digest(got)
        os.replace(got, cached)
    return cached


def _check_digest(sdist: Path) -> None:
    digest = _sha256(sdist)
    if digest != SDIST_SHA256:
        raise CompatError(
            f"{sdist} has SHA-256 {digest}, not the pinned {SDIST_SHA256} of {UPSTREAM} {VERSION}"
        )


def extract_tests(sdist: Path, destination: Path) -> Path:
    """Extract the sdist's ``tests/`` (minus ``LEFT_OUT``) into ``destination/tests``."""
    prefix = PurePosixPath(SDIST_NAME.removesuffix(".tar.gz"), "tests")
    with tarfile.open(sdist, "r:gz") as archive:
        for member in archive.getmembers():
            path = PurePosixPath(member.name)
            if not path.is_relative_to(prefix) or path == prefix:
                continue
            inner = path.relative_to(prefix)
            if ".." in inner.parts or not (member.isfile() or member.isdir()):
                raise CompatError(f"unexpected member in {sdist.name}: {member.name!r}")
            if any(
                str(inner) == left.rstrip("/") or str(inner).startswith(left) for left in LEFT_OUT
            ):
                continue
            target = destination.joinpath("tests", *inner.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            with source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
    tests = destination / "tests"
    if not (tests / "base_test.py").is_file():
        raise CompatError(f"{sdist.name} has no tests/base_test.py")
    return tests


@dataclass
class Outcome:
    """The upstream run compared with ``expected_failures.txt``."""

    failed: set[str]
    passed: set[str]
    skipped: set[str]
    warnings: Counter[str]
    stray_warnings: list[str]
    expected: dict[str, ExpectedFailure]
    seconds: float
    output: str = field(repr=False)

    @property
    def unexpected_failures(self) -> list[str]:
        return sorted(self.failed - self.expected.keys())

    @property
    def unexpected_passes(self) -> list[str]:
        return sorted(self.passed & self.expected.keys())

    @property
    def not_run(self) -> list[str]:
        return sorted(self.expected.keys() - self.failed - self.passed)

    @property
    def ok(self) -> bool:
        return not (
            self.unexpected_failures
            or self.unexpected_passes
            or self.not_run
            or self.stray_warnings
        )

    def summary(self) -> str:
        listed = [self.expected[test_id] for test_id in self.failed if test_id in self.expected]
        intended = sum(1 for entry in listed if entry.intended)
        lines = [
            f"Flask-Cors {VERSION} suite against {REPO / 'src'}: {len(self.failed)} failed "
            f"({intended} intended, {len(listed) - intended} pending, "
            f"{len(self.unexpected_failures)} unexpected), {len(self.passed)} passed, "
            f"{len(self.skipped)} skipped in {self.seconds:.1f} s",
        ]
        for title, ids in (
            (
                "UNEXPECTED FAILURE (fix it, or list it in expected_failures.txt)",
                self.unexpected_failures,
            ),
            ("UNEXPECTED PASS (remove it from expected_failures.txt)", self.unexpected_passes),
            ("LISTED BUT NOT RUN (renamed upstream?)", self.not_run),
        ):
            lines += [f"{title}: {test_id}" for test_id in ids]
        lines += [f"STRAY WARNING from flask_cors: {text}" for text in self.stray_warnings]
        if self.warnings:
            counts = ", ".join(f"{name} x{count}" for name, count in self.warnings.most_common())
            lines.append(f"warnings (not errors here): {counts}")
        lines.append("OK: exactly the listed tests fail" if self.ok else "NOT OK")
        return "\n".join(lines)


def run_suite(tests: Path, report: Path) -> tuple[dict[str, object], str]:
    """Run pytest on ``tests`` in a separate process; the recorder's report and the output."""
    workdir = tests.parent
    # Upstream's own pytest configuration is ``testpaths = ["tests"]`` and nothing else.
    (workdir / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n", encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COV_CORE_", "COVERAGE_", "PYTEST_"))
        and key not in {"PYTHONPATH", "PYTHONWARNINGS"}
    }
    env["PYTHONPATH"] = str(HERE)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["FLASK_CORS_COMPAT_REPORT"] = str(report)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(workdir / "pytest.ini"),
        "--rootdir",
        str(workdir),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:flask_cors",
        "-p",
        "upstream_recorder",
        "-q",
        "-rfE",
        "--tb=short",
    ]
    done = subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    output = done.stdout + done.stderr
    if not report.is_file():
        raise CompatError(f"pytest ended (status {done.returncode}) without a report:\n{output}")
    data: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    if done.returncode not in (0, 1):  # 1: some tests failed; anything else: pytest broke.
        raise CompatError(f"pytest ended with status {done.returncode}:\n{output}")
    return data, output


def run(sdist: Path | None = None, cache: Path = DEFAULT_CACHE) -> Outcome:
    """Fetch, extract and run the upstream suite; compare with the expected failures."""
    expected = read_expected_failures()
    if sdist is None:
        sdist = fetch_sdist(cache)
    else:
        _check_digest(sdist)
    with tempfile.TemporaryDirectory(prefix="flask-cors-upstream-") as scratch:
        tests = extract_tests(sdist, Path(scratch))
        started = time.perf_counter()
        data, output = run_suite(tests, Path(scratch) / "report.json")
        seconds = time.perf_counter() - started
    outcomes: dict[str, str] = data["outcomes"]  # type: ignore[assignment]
    warnings: list[dict[str, str]] = data["warnings"]  # type: ignore[assignment]
    src = str(REPO / "src" / "flask_cors")
    stray = sorted(
        {
            f"{w['category']}: {w['message']} ({w['filename']}:{w['lineno']})"
            for w in warnings
            if w["category"] not in OWN_WARNINGS and w["filename"].startswith(src)
        }
    )
    return Outcome(
        failed={test_id for test_id, kind in outcomes.items() if kind == "failed"},
        passed={test_id for test_id, kind in outcomes.items() if kind == "passed"},
        skipped={test_id for test_id, kind in outcomes.items() if kind == "skipped"},
        warnings=Counter(w["category"] for w in warnings),
        stray_warnings=stray,
        expected=expected,
        seconds=seconds,
        output=output,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sdist",
        type=Path,
        default=os.environ.get("FLASK_CORS_COMPAT_SDIST") or None,
        help=f"a local {SDIST_NAME} instead of downloading it",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("FLASK_CORS_COMPAT_CACHE") or DEFAULT_CACHE),
        help="where the downloaded sdist is kept (default: build/compat)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print pytest's output")
    args = parser.parse_args(argv)
    try:
        outcome = run(args.sdist, args.cache)
    except CompatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.verbose or not outcome.ok:
        print(outcome.output)
    print(outcome.summary())
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
