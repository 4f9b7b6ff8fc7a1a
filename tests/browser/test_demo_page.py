"""The demo of ``make demo``, clicked through in headless Chromium."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .helpers import EXAMPLES


@pytest.fixture(scope="module")
def demo(chromium: Any) -> Iterator[tuple[Any, Any]]:
    import sys

    sys.path.insert(0, str(EXAMPLES))
    try:
        from demo import start_demo, stop_demo
    finally:
        sys.path.remove(str(EXAMPLES))
    page_server, api_server = start_demo()
    yield page_server, api_server
    stop_demo(page_server, api_server)


def click(page: Any, call: str) -> dict[str, Any]:
    page.click(f"#btn-{call}")
    box = f"#call-{call}"
    page.wait_for_function(
        "(box) => ['allowed', 'blocked', 'view-ran', 'refused']"
        ".includes(document.querySelector(box).dataset.outcome)",
        arg=box,
    )
    result: dict[str, Any] = json.loads(page.get_attribute(box, "data-result"))
    return result


def cors_headers(result: dict[str, Any], method: str) -> dict[str, str]:
    exchanges = [e for e in result["exchanges"] if e["method"] == method]
    assert exchanges, result
    headers: dict[str, str] = exchanges[-1]["response_cors_headers"]
    return headers


def test_every_button_shows_what_the_browser_did(
    demo: tuple[Any, Any], new_page: Callable[[str], Any]
) -> None:
    page_server, api_server = demo
    page_origin = f"http://127.0.0.1:{page_server.server_port}"
    page = new_page(page_origin + "/")
    assert page.text_content("#api-origin") == f"http://localhost:{api_server.server_port}"

    simple = click(page, "simple")
    assert simple["outcome"] == "allowed"
    assert simple["body"]["body"]["origin_seen"] == page_origin
    assert [e["method"] for e in simple["exchanges"]] == ["GET"]
    assert cors_headers(simple, "GET")["Access-Control-Allow-Origin"] == page_origin

    post = click(page, "json-post")
    assert post["outcome"] == "allowed"
    assert post["body"]["status"] == 201
    assert post["body"]["body"]["created"] == {"name": "teapot"}
    assert [e["method"] for e in post["exchanges"]] == ["OPTIONS", "POST"]
    preflight = cors_headers(post, "OPTIONS")
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Headers"] == "content-type"
    assert preflight["Access-Control-Max-Age"] == "600"

    session = click(page, "credentials")
    assert session["outcome"] == "allowed"
    assert session["body"]["body"] == {"cookie_received": "1", "visits": 2}
    assert cors_headers(session, "POST")["Access-Control-Allow-Credentials"] == "true"

    refused = click(page, "refused")
    assert refused["outcome"] == "blocked"
    sent = cors_headers(refused, "GET")
    assert "Access-Control-Allow-Origin" not in sent
    assert sent["Vary"] == "Origin"

    headers = click(page, "headers")
    assert headers["outcome"] == "allowed"
    assert headers["readable"]["X-Request-Id"] == "req-42"
    assert headers["readable"]["X-Internal-Trace"] is None
    assert cors_headers(headers, "GET")["Access-Control-Expose-Headers"] == "X-Request-Id"

    unprotected = click(page, "write-open")
    assert unprotected["outcome"] == "view-ran"
    assert unprotected["body"]["response_type"] == "opaque"
    assert unprotected["body"]["votes_after"] == unprotected["body"]["votes_before"] + 1
    assert [e["status"] for e in unprotected["exchanges"]] == ["200 OK"]
    assert "Access-Control-Allow-Origin" not in cors_headers(unprotected, "POST")

    protected = click(page, "write-protected")
    assert protected["outcome"] == "refused"
    assert protected["body"]["votes_after"] == protected["body"]["votes_before"]
    assert [e["status"] for e in protected["exchanges"]] == ["403 FORBIDDEN"]

    verdicts = page.locator(".verdict").all_text_contents()
    assert sum(v.startswith("Allowed") for v in verdicts) == 4
    assert sum(v.startswith("Blocked") for v in verdicts) == 1
    assert sum(v.startswith("The view ran") for v in verdicts) == 1
    assert sum(v.startswith("Refused with 403") for v in verdicts) == 1
