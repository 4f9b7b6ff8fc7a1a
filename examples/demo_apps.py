"""The two applications of the demo: a page on one origin and an API on another.

``create_page_app(api_origin)`` serves one HTML page whose buttons call the API with
``fetch``. ``create_api_app(page_origin)`` is the API; it lets the page's origin in on
most endpoints and keeps it out of ``/api/partner`` and the two vote counters, which
belong to another site. A form on the page's site can still make the browser post a vote:
``/api/votes/open`` counts it, ``/api/votes/protected`` (``cross_origin_protection``)
refuses it before its view runs.

So that the page can show what went over the wire even when the browser hides the
response, the API records the CORS headers of every response tagged with a ``call``
query parameter; ``/api/inspect/<call>`` returns that record.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.http import dump_cookie

from flask_cors import CORS

#: A site the page is not: the only origin ``/api/partner`` accepts.
PARTNER_ORIGIN = "https://partner.example"
#: Name of the session cookie of the credentialed call.
COOKIE_NAME = "demo_session"


class CallRecorder:
    """WSGI middleware that keeps the CORS headers of responses tagged with ``?call=``."""

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int = 200) -> None:
        self.app = app
        self.limit = limit
        self.calls: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        call = _query_value(environ.get("QUERY_STRING", ""), "call")
        if not call:
            return self.app(environ, start_response)

        def recording_start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            cors = {
                name: value
                for name, value in headers
                if name.lower().startswith("access-control-") or name.lower() == "vary"
            }
            entry = {
                "method": environ["REQUEST_METHOD"],
                "path": environ.get("PATH_INFO", ""),
                "status": status,
                "request_origin": environ.get("HTTP_ORIGIN"),
                "response_cors_headers": cors,
            }
            with self._lock:
                self.calls.setdefault(call, {"exchanges": []})["exchanges"].append(entry)
                while len(self.calls) > self.limit:
                    self.calls.pop(next(iter(self.calls)))
            return start_response(status, headers, *exc)

        return self.app(environ, recording_start_response)


def _query_value(query: str, key: str) -> str:
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name == key:
            return value[:64]
    return ""


def create_api_app(page_origin: str) -> Flask:
    """The API: CORS for ``page_origin`` everywhere but ``/api/partner``."""
    app = Flask("demo_api")
    votes = {"open": 0, "protected": 0}
    CORS(
        app,
        resources={
            "/api/partner": {"origins": [PARTNER_ORIGIN]},
            "/api/votes/open": {"origins": [PARTNER_ORIGIN]},
            "/api/votes/protected": {
                "origins": [PARTNER_ORIGIN],
                "cross_origin_protection": True,
            },
            "/api/session": {"origins": [page_origin], "supports_credentials": True},
            "/api/*": {"origins": [page_origin]},
        },
        expose_headers=["X-Request-Id"],
        max_age=600,
    )
    # After CORS(app): flask_cors answers allowed preflights in front of the app, so a
    # middleware that records every exchange must wrap what CORS(app) left.
    recorder = CallRecorder(app.wsgi_app)
    app.wsgi_app = recorder  # type: ignore[method-assign]
    app.extensions["demo_recorder"] = recorder

    @app.get("/api/simple")
    def simple() -> Response:
        return jsonify(message="Hello from the API", origin_seen=request.headers.get("Origin"))

    @app.post("/api/items")
    def create_item() -> tuple[Response, int]:
        item = request.get_json(silent=True) or {}
        return jsonify(created=item, content_type=request.content_type), 201

    @app.route("/api/session", methods=["GET", "POST"])
    def session() -> Response:
        visits = int(request.cookies.get(COOKIE_NAME, "0") or "0") + 1
        response = jsonify(cookie_received=request.cookies.get(COOKIE_NAME), visits=visits)
        # Page and API are different sites, so the cookie is a third-party one: browsers
        # keep it only when it is SameSite=None, Secure (localhost counts as secure) and,
        # where third-party cookies are blocked, Partitioned. Written with dump_cookie:
        # set_cookie(partitioned=True) needs Werkzeug 3.1, and Werkzeug 3.0 is supported.
        cookie = dump_cookie(COOKIE_NAME, str(visits), samesite="None", secure=True, httponly=True)
        response.headers.add("Set-Cookie", f"{cookie}; Partitioned")
        return response

    @app.get("/api/partner")
    def partner() -> Response:
        return jsonify(secret="only partner.example may read this")

    @app.get("/api/headers")
    def headers() -> Response:
        response = jsonify(sent=["X-Request-Id", "X-Internal-Trace"])
        response.headers["X-Request-Id"] = "req-42"
        response.headers["X-Internal-Trace"] = "trace-7"
        return response

    @app.post("/api/votes/<kind>")
    def vote(kind: str) -> tuple[Response, int]:
        if kind not in votes:
            return jsonify(error="no such counter"), 404
        votes[kind] += 1
        return jsonify(votes=votes), 200

    @app.get("/api/votes")
    def vote_counts() -> Response:
        return jsonify(votes)

    @app.get("/api/inspect/<call>")
    def inspect(call: str) -> Response:
        return jsonify(recorder.calls.get(call, {"exchanges": []}))

    return app


def create_page_app(api_origin: str) -> Flask:
    """The page: one HTML document whose buttons call the API at ``api_origin``."""
    app = Flask("demo_page")
    page = PAGE_TEMPLATE.replace("__API_ORIGIN__", json.dumps(api_origin))

    @app.get("/")
    def index() -> Response:
        return Response(page, mimetype="text/html")

    return app


PAGE_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>flask_cors demo</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; }
  button { margin: .2rem 0; min-width: 16rem; text-align: left; }
  .call { border: 1px solid #ccc; border-radius: 6px; padding: .6rem; margin: .6rem 0; }
  .verdict { font-weight: bold; }
  .allowed .verdict { color: #11691b; }
  .blocked .verdict, .view-ran .verdict { color: #a01010; }
  .refused .verdict { color: #11691b; }
  pre { background: #f6f6f6; padding: .4rem; white-space: pre-wrap; margin: .3rem 0; }
</style>
</head>
<body>
<h1>flask_cors demo</h1>
<p>This page is served from <code id="page-origin"></code>; every button calls the API on
<code id="api-origin"></code>, a different origin, with <code>fetch</code>. Each result shows
the request, the CORS headers the API sent back (recorded by the API, since the browser
hides them from a refused call) and whether the browser let the page read the answer.</p>
<div id="calls"></div>
<script>
const API = __API_ORIGIN__;
document.getElementById("page-origin").textContent = location.origin;
document.getElementById("api-origin").textContent = API;

const NO_CORS_POST = {method: "POST", mode: "no-cors", body: "vote=1",
                      headers: {"Content-Type": "application/x-www-form-urlencoded"}};
const CALLS = [
  {id: "simple", label: "Simple GET", expect: "allowed",
   describe: "GET /api/simple (a simple request: no preflight)",
   run: (url) => fetch(url)},
  {id: "json-post", label: "JSON POST (preflighted)", expect: "allowed",
   describe: "POST /api/items with Content-Type: application/json (needs a preflight)",
   run: (url) => fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                             body: JSON.stringify({name: "teapot"})})},
  {id: "credentials", label: "Credentialed call (cookie)", expect: "allowed",
   describe: "POST /api/session with credentials: 'include' (twice: the second sends the cookie)",
   run: async (url) => { await fetch(url, {method: "POST", credentials: "include"});
                         return fetch(url, {method: "POST", credentials: "include"}); }},
  {id: "refused", label: "Call the API refuses", expect: "blocked",
   describe: "GET /api/partner, which only " + "https://partner.example" + " may read",
   run: (url) => fetch(url)},
  {id: "headers", label: "Exposed and unexposed headers", expect: "allowed",
   describe: "GET /api/headers, which sends X-Request-Id (exposed) and X-Internal-Trace (not)",
   run: (url) => fetch(url)},
  {id: "write-open", label: "Cross-site vote, no protection", expect: "the view runs",
   describe: "POST /api/votes/open as a form on another site sends it (a no-cors fetch: " +
             "no preflight); only https://partner.example may read this counter",
   run: (url) => fetch(url, NO_CORS_POST), counter: "open"},
  {id: "write-protected", label: "Cross-site vote, cross_origin_protection",
   expect: "refused (403) before the view runs",
   describe: "The same POST to /api/votes/protected, whose resource has " +
             "cross_origin_protection=True",
   run: (url) => fetch(url, NO_CORS_POST), counter: "protected"},
];
const PATHS = {"simple": "/api/simple", "json-post": "/api/items",
               "credentials": "/api/session", "refused": "/api/partner",
               "headers": "/api/headers", "write-open": "/api/votes/open",
               "write-protected": "/api/votes/protected"};

const VERDICTS = {
  "allowed": "Allowed: the page could read the response",
  "blocked": "Blocked by the browser (CORS)",
  "view-ran": "The view ran: the vote counted, though the page could not read the answer",
  "refused": "Refused with 403 before the view ran (cross_origin_protection)",
};

async function votes() {
  return (await (await fetch(API + "/api/votes")).json());
}

function show(box, key, value) {
  const pre = box.querySelector("." + key);
  pre.textContent = typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

async function runCall(call, box) {
  const tag = call.id + "-" + Date.now() + "-" + Math.floor(Math.random() * 1e6);
  const url = API + PATHS[call.id] + "?call=" + tag;
  box.className = "call running";
  box.dataset.outcome = "running";
  show(box, "request", call.describe);
  let outcome, body = null, readable = {};
  if (call.counter) {
    // A no-cors request gets an opaque answer: the page cannot tell what happened. The
    // counter, which the page may read, can.
    const before = (await votes())[call.counter];
    const response = await call.run(url);
    const after = (await votes())[call.counter];
    outcome = after > before ? "view-ran" : "refused";
    body = {response_type: response.type, votes_before: before, votes_after: after};
  } else {
    try {
      const response = await call.run(url);
      outcome = "allowed";
      body = await response.json();
      for (const name of ["Content-Type", "X-Request-Id", "X-Internal-Trace"]) {
        readable[name] = response.headers.get(name);
      }
      body = {status: response.status, body: body};
    } catch (error) {
      outcome = "blocked";
      body = "The browser refused to give this page the response (" + error + ")";
    }
  }
  let exchanges = [];
  try {
    const record = await (await fetch(API + "/api/inspect/" + tag)).json();
    exchanges = record.exchanges;
  } catch (error) {
    exchanges = ["could not read the record: " + error];
  }
  show(box, "exchanges", exchanges);
  show(box, "readable", readable);
  show(box, "body", body);
  box.querySelector(".verdict").textContent = VERDICTS[outcome];
  box.dataset.outcome = outcome;
  box.dataset.result = JSON.stringify({outcome: outcome, body: body, readable: readable,
                                       exchanges: exchanges});
  box.className = "call " + outcome;
}

const container = document.getElementById("calls");
for (const call of CALLS) {
  const box = document.createElement("div");
  box.className = "call";
  box.id = "call-" + call.id;
  box.dataset.outcome = "idle";
  box.innerHTML = '<button type="button"></button> <span class="verdict"></span>' +
    '<div>Expected: ' + call.expect + '</div>' +
    '<div>Request:</div><pre class="request"></pre>' +
    '<div>What went over the wire (method, status, CORS headers sent back):</div>' +
    '<pre class="exchanges"></pre>' +
    '<div>Response headers the page can read:</div><pre class="readable"></pre>' +
    '<div>Response:</div><pre class="body"></pre>';
  const button = box.querySelector("button");
  button.id = "btn-" + call.id;
  button.textContent = call.label;
  button.addEventListener("click", () => runCall(call, box));
  container.appendChild(box);
}
</script>
</body>
</html>
"""
