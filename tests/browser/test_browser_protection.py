"""Cross-origin protection in Chromium: a page on another site submits a plain form, or a
``no-cors`` fetch, to the API (simple requests: no preflight). Without protection the view
runs although the page cannot read the answer; with it the API answers 403 and the view
never runs. The API's own form and an allowed origin's credentialed POST still work.

The API is served twice: on ``localhost`` (a potentially trustworthy URL, so Chromium sends
``Sec-Fetch-Site``) and on ``api.test`` over plain HTTP (no ``Sec-Fetch-Site``: the
``Origin``/``Host`` fallback decides). Pages are served under ``*.test`` names, which the
suite's Chromium resolves to 127.0.0.1.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, Response, jsonify, request
from werkzeug.http import dump_cookie

from flask_cors import CORS

from .helpers import LiveServer, bind, blank_page_app

COOKIE = "vote_session"

SUBMIT_FORM_JS = """
([action]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const field = document.createElement("input");
  field.name = "amount";
  field.value = "1000";
  form.appendChild(field);
  document.body.appendChild(form);
  form.submit();
}
"""

FETCH_JS = """
async ([url, init]) => {
  try {
    const response = await fetch(url, init);
    return {ok: true, type: response.type, status: response.status, body: await response.text()};
  } catch (error) { return {ok: false, error: String(error)}; }
}
"""


class Votes:
    """What the API's views did, and what reached the API (recorded in front of it)."""

    def __init__(self) -> None:
        self.counts = {"open": 0, "protected": 0}
        #: (path, status, Sec-Fetch-Site) of every request, as it left the API.
        self.exchanges: list[tuple[str, int, str | None]] = []
        self.lock = threading.Lock()

    def last(self, path: str) -> tuple[str, int, str | None]:
        return [exchange for exchange in self.exchanges if exchange[0] == path][-1]


def vote_api(page_origins: list[str]) -> Flask:
    """Two vote counters, one protected, both with CORS for ``page_origins`` only."""
    app = Flask("vote_api")
    votes = Votes()
    app.extensions["votes"] = votes

    def vote(kind: str) -> Response:
        with votes.lock:
            votes.counts[kind] += 1
        return jsonify(counted=kind, cookie=request.cookies.get(COOKIE))

    app.add_url_rule("/open/vote", "open_vote", lambda: vote("open"), methods=["POST"])
    app.add_url_rule(
        "/protected/vote", "protected_vote", lambda: vote("protected"), methods=["POST"]
    )

    @app.get("/form")
    def own_form() -> Response:
        page = (
            "<!doctype html><title>own form</title>"
            '<form method="post" action="/protected/vote">'
            '<input name="amount" value="1"><button id="send">send</button></form>'
        )
        return Response(page, mimetype="text/html")

    @app.get("/protected/session")
    def session() -> Response:
        response = jsonify(signed_in=True)
        cookie = dump_cookie(COOKIE, "alice", samesite="None", secure=True, httponly=True)
        response.headers.add("Set-Cookie", f"{cookie}; Partitioned")
        return response

    CORS(
        app,
        resources={
            "/protected/*": {
                "origins": page_origins,
                "supports_credentials": True,
                "cross_origin_protection": True,
            },
            "/open/*": {"origins": page_origins, "supports_credentials": True},
        },
        lint_ignore=["http-origin-with-credentials"],
    )
    inner = app.wsgi_app

    def recording(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def record(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            entry = (
                environ["PATH_INFO"],
                int(status.split()[0]),
                environ.get("HTTP_SEC_FETCH_SITE"),
            )
            with votes.lock:
                votes.exchanges.append(entry)
            return start_response(status, headers, *exc)

        return inner(environ, record)

    app.wsgi_app = recording  # type: ignore[method-assign]  # after CORS(app), as documented
    return app


@pytest.fixture(scope="module")
def servers(chromium: Any) -> Iterator[dict[str, LiveServer]]:
    started: dict[str, LiveServer] = {}
    try:
        for name, host in [("evil", "evil.test"), ("friend", "app.example.test")]:
            started[name] = bind(host)
            started[name].serve(blank_page_app())
        friend = started["friend"].origin
        for name, host in [("api", "localhost"), ("plain_api", "api.test")]:
            app = vote_api([friend])  # built before its server exists
            started[name] = bind(host)
            started[name].serve(app)
        yield started
    finally:
        for server in started.values():
            server.stop()


def votes_of(server: LiveServer) -> Votes:
    votes: Votes = server.app.extensions["votes"]
    return votes


@pytest.fixture
def fresh(servers: dict[str, LiveServer]) -> dict[str, LiveServer]:
    for server in servers.values():
        server.requests.clear()
        if server.app is not None and "votes" in server.app.extensions:
            votes = votes_of(server)
            votes.counts.update(open=0, protected=0)
            votes.exchanges.clear()
    return servers


def submit_form(page: Any, action: str) -> int:
    """Submit a plain ``<form method="post">`` from ``page``; the status it navigated to."""
    with page.expect_navigation() as navigation:
        page.evaluate(SUBMIT_FORM_JS, [action])
    response = navigation.value
    assert response is not None
    status: int = response.status
    return status


def fetch(page: Any, url: str, **init: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FETCH_JS, [url, init])
    return result


@pytest.mark.parametrize("api", ["api", "plain_api"])
def test_cross_site_form_post_runs_the_view_without_protection(
    new_page: Callable[[str], Any], fresh: dict[str, LiveServer], api: str
) -> None:
    page = new_page(fresh["evil"].origin + "/")

    status = submit_form(page, fresh[api].origin + "/open/vote")

    assert status == 200
    assert votes_of(fresh[api]).counts["open"] == 1


def test_cross_site_form_post_is_refused_with_protection(
    new_page: Callable[[str], Any], fresh: dict[str, LiveServer]
) -> None:
    api = fresh["api"]
    page = new_page(fresh["evil"].origin + "/")

    status = submit_form(page, api.origin + "/protected/vote")

    assert status == 403
    assert "Sec-Fetch-Site is cross-site" in (page.text_content("body") or "")
    assert votes_of(api).counts["protected"] == 0
    assert votes_of(api).last("/protected/vote") == ("/protected/vote", 403, "cross-site")


def test_cross_site_form_post_without_sec_fetch_site_is_refused_by_the_host_check(
    new_page: Callable[[str], Any], fresh: dict[str, LiveServer]
) -> None:
    api = fresh["plain_api"]
    page = new_page(fresh["evil"].origin + "/")

    status = submit_form(page, api.origin + "/protected/vote")

    assert status == 403
    assert "no Sec-Fetch-Site" in (page.text_content("body") or "")
    assert votes_of(api).counts["protected"] == 0
    assert votes_of(api).last("/protected/vote") == ("/protected/vote", 403, None)


@pytest.mark.parametrize("api", ["api", "plain_api"])
@pytest.mark.parametrize(("path", "counted"), [("/open/vote", 1), ("/protected/vote", 0)])
def test_no_cors_fetch_post_runs_the_view_only_without_protection(
    new_page: Callable[[str], Any],
    fresh: dict[str, LiveServer],
    api: str,
    path: str,
    counted: int,
) -> None:
    page = new_page(fresh["evil"].origin + "/")

    outcome = fetch(
        page,
        fresh[api].origin + path,
        method="POST",
        mode="no-cors",
        credentials="include",
        body="amount=1000",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    # Either way the page gets an opaque answer: it cannot tell what happened.
    assert outcome["ok"], outcome
    assert (outcome["type"], outcome["status"]) == ("opaque", 0)
    kind = path.split("/")[1]
    assert votes_of(fresh[api]).counts[kind] == counted
    assert votes_of(fresh[api]).last(path)[1] == (200 if counted else 403)


@pytest.mark.parametrize(("api", "site"), [("api", "same-origin"), ("plain_api", None)])
def test_the_apis_own_form_still_works(
    new_page: Callable[[str], Any], fresh: dict[str, LiveServer], api: str, site: str | None
) -> None:
    server = fresh[api]
    page = new_page(server.origin + "/form")

    with page.expect_navigation() as navigation:
        page.click("#send")

    assert navigation.value is not None
    assert navigation.value.status == 200
    assert votes_of(server).counts["protected"] == 1
    assert votes_of(server).last("/protected/vote") == ("/protected/vote", 200, site)


@pytest.mark.parametrize("api", ["api", "plain_api"])
def test_an_allowed_origins_credentialed_post_still_works(
    new_page: Callable[[str], Any], fresh: dict[str, LiveServer], api: str
) -> None:
    server = fresh[api]
    page = new_page(fresh["friend"].origin + "/")

    signed_in = fetch(page, server.origin + "/protected/session", credentials="include")
    outcome = fetch(page, server.origin + "/protected/vote", method="POST", credentials="include")

    assert signed_in["ok"], signed_in
    assert outcome["ok"], outcome
    assert outcome["status"] == 200
    assert votes_of(server).counts["protected"] == 1
    if api == "api":  # a Secure cookie is kept for localhost, not for plain http://api.test
        assert '"cookie":"alice"' in outcome["body"].replace(" ", "")
