"""Flask-Cors 6.0.5's own test suite, run against this package (see run_upstream.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import run_upstream

MIGRATION_GUIDE = run_upstream.REPO / "docs" / "migration.md"


@pytest.mark.compat
def test_flask_cors_6_suite_fails_exactly_where_listed() -> None:
    sdist = os.environ.get("FLASK_CORS_COMPAT_SDIST")
    cache = os.environ.get("FLASK_CORS_COMPAT_CACHE")
    outcome = run_upstream.run(
        Path(sdist) if sdist else None, Path(cache) if cache else run_upstream.DEFAULT_CACHE
    )
    assert outcome.ok, f"{outcome.summary()}\n\n{outcome.output}"


def test_every_expected_failure_has_a_status_and_a_reason() -> None:
    entries = run_upstream.read_expected_failures()
    assert entries
    for entry in entries.values():
        assert entry.intended or re.fullmatch(r"pending( 12\.[1-9])+", entry.status), entry


def test_migration_guide_lists_exactly_the_intended_failures() -> None:
    intended = {e.test_id for e in run_upstream.read_expected_failures().values() if e.intended}
    listed = set(re.findall(r"`(tests/[\w/]+\.py::[\w:]+)`", MIGRATION_GUIDE.read_text()))
    assert listed == intended


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("tests/a.py::T::t | intended", "expected 'test id | status | reason'"),
        ("tests/a.py::T::t | maybe | why", "neither 'intended'"),
        ("a.py::t | intended | why", "is not a pytest test id"),
        ("tests/a.py::T::t | intended | why\ntests/a.py::T::t | intended | why", "twice"),
    ],
)
def test_a_malformed_expected_failures_line_is_an_error_naming_it(
    tmp_path: Path, line: str, problem: str
) -> None:
    listing = tmp_path / "expected_failures.txt"
    listing.write_text(f"# comment\n\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"expected_failures\.txt:\d+: .*" + re.escape(problem)):
        run_upstream.read_expected_failures(listing)


def test_an_sdist_with_another_digest_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / run_upstream.SDIST_NAME
    fake.write_bytes(b"not the release")
    with pytest.raises(run_upstream.CompatError, match="not the pinned"):
        run_upstream.run(sdist=fake)
