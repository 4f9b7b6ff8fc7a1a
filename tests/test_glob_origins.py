"""Origins written as globs: ``https://*.example.com`` and ``http://localhost:*``."""

from __future__ import annotations

import pytest
from flask import Flask

from flask_cors import CORS

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        ("https://*.example.com", "https://app.example.com", True),
        ("https://*.example.com", "https://a.b.example.com", True),
        ("https://*.example.com", "https://APP.Example.com", True),
        ("https://*.example.com", "https://example.com", False),
        ("https://*.example.com", "https://aexample.com", False),
        ("https://*.example.com", "https://evilexample.com", False),
        ("https://*.example.com", "https://app.example.com.evil.net", False),
        ("https://*.example.com", "http://app.example.com", False),
        ("https://*.example.com", "https://app.example.com:8443", False),
        ("https://*.example.com", "https://-bad.example.com", False),
        ("http://localhost:*", "http://localhost:3000", True),
        ("http://localhost:*", "http://localhost:8080", True),
        ("http://localhost:*", "http://localhost", True),  # any port or none
        ("http://localhost:*", "http://localhostx:3000", False),
        ("http://localhost:*", "http://localhost:3000.evil.net", False),
        ("https://*.example.com:*", "https://a.example.com:9000", True),
        ("https://*.example.com:*", "https://a.example.com", True),
        ("https://*.example.com:*", "https://example.com:9000", False),
    ],
)
def test_glob_origin_means_what_its_writer_meant(cors_client, origins, origin, allowed):
    client = cors_client(origins=origins, lint_ignore=["origin-glob"])

    response = client.get("/", headers={"Origin": origin})

    assert (response.headers.get("Access-Control-Allow-Origin") == origin) is allowed


@pytest.mark.parametrize("origins", ["https://*.example.com", "http://localhost:*"])
def test_glob_origin_is_reported_as_a_note_not_a_warning(origins, caplog):
    app = Flask("globbed")

    with caplog.at_level("INFO", logger="flask_cors"):
        CORS(app, origins=[origins])

    assert [(r.cors_finding.id, r.levelname) for r in caplog.records] == [("origin-glob", "INFO")]


def test_regex_that_only_looks_like_a_glob_stays_a_regex(cors_client):
    client = cors_client(
        origins=r"https://.*\.example\.com", lint_ignore=["origin-regex-too-broad"]
    )

    response = client.get("/", headers={"Origin": "https://a.example.com"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://a.example.com"
