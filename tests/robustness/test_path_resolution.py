"""Property: the resource that applies to a request is the one whose pattern matches the path
Flask's router matched (``request.path`` inside the view), for encoded, dotted, mixed-case
and non-ASCII paths.

Every resource allows one origin of its own and exposes a header naming it, so one response
tells which resource applied.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, unquote

from flask import Flask, Response, request
from hypothesis import event, given
from hypothesis import strategies as st
from robustness_support import ACAO, ACEH, Result, new_app, scaled

from flask_cors import CORS

#: name -> (resource pattern, does the path belong to it, as the documentation states it).
RESOURCES: dict[str, tuple[str, Callable[[str], bool]]] = {}


def _under(base: str) -> Callable[[str], bool]:
    return lambda path: path == base or path.startswith(base + "/")


def _txt_file(path: str) -> bool:
    parts = path.split("/")
    return len(parts) >= 3 and parts[1] == "files" and len(parts[2]) > 4 and parts[2][-4:] == ".txt"


# Listed most specific first: the model picks the first that applies.
RESOURCES = {
    "users": ("/api/v1/users", lambda path: path == "/api/v1/users"),  # literal: exact
    "v1": ("/api/v1/*", _under("/api/v1")),
    "api": ("/api/*", _under("/api")),
    "txt": (r"/files/[^/]+\.txt", _txt_file),
    "case": ("/Case/*", _under("/Case")),
    "space": ("/sp ace/*", _under("/sp ace")),
    "plus": (r"/plus/a\+b", _under("/plus/a+b")),
    "plus-literal": ("/plus/c+d", lambda path: path == "/plus/c+d"),  # `+` is literal here
    "pct": ("/pct%41/*", _under("/pct%41")),
    "uni": ("/\u00fcn\u00ef/*", _under("/\u00fcn\u00ef")),
    "dots": (r"/dots/\.\./x/*", _under("/dots/../x")),
}


def origin_of(name: str) -> str:
    return f"https://{name}.resource.test"


def expected_resource(path: str) -> str | None:
    # A path with a "." or ".." segment gets no CORS headers at all: browsers resolve them.
    if any(
        segment.lower() in (".", "..", "%2e", "%2e%2e", ".%2e", "%2e.")
        for segment in path.split("/")
    ):
        return None
    for name, (_pattern, applies) in RESOURCES.items():
        if applies(path):
            return name
    return None


def build_app() -> Flask:
    app = new_app("path_resolution")
    CORS(
        app,
        resources={
            pattern: {"origins": [origin_of(name)], "expose_headers": [f"X-Res-{name}"]}
            for name, (pattern, _applies) in RESOURCES.items()
        },
    )

    @app.route("/", defaults={"rest": ""}, methods=["GET", "POST"])
    @app.route("/<path:rest>", methods=["GET", "POST"])
    def anything(rest: str) -> Response:
        return Response(request.path.encode("utf-8"), mimetype="application/octet-stream")

    return app


APP = build_app()

_pieces = [
    "api",
    "API",
    "Api",
    "v1",
    "V1",
    "v%31",
    "v%2531",
    "users",
    "Users",
    "users%2Fx",
    "api%2Fv1",
    "files",
    "a.txt",
    "a.txt.txt",
    ".txt",
    "b.TXT",
    "c%2Etxt",
    "..",
    ".",
    "%2E%2E",
    "dots",
    "x",
    "Case",
    "case",
    "CASE",
    "sp%20ace",
    "sp+ace",
    "sp%2Bace",
    "plus",
    "a+b",
    "a%2Bb",
    "a%20b",
    "aab",
    "pct%2541",
    "pct%41",
    "pctA",
    "%25",
    "%2F",
    "%C3%BCn%C3%AF",
    "%C3%9CN%C3%8F",
    "un%CC%88i",
    "%FF",
    "",
]

#: Encoded spellings at, inside and just beside each resource.
_prefixes = [
    "/api",
    "/API",
    "/apiary",
    "/api/v1",
    "/api/v%31",
    "/api/v%2531",
    "/api%2Fv1",
    "/api/v1x",
    "/api/v1/users",
    "/api/v1/Users",
    "/api%2Fv1%2Fusers",
    "/api/v1/usersx",
    "/files/a.txt",
    "/files/a.txt.txt",
    "/files/.txt",
    "/files/c%2Etxt",
    "/files/a.txtx",
    "/files/%2Ftxt.txt",
    "/Case",
    "/case",
    "/sp%20ace",
    "/sp+ace",
    "/plus/a+b",
    "/plus/a%2Bb",
    "/plus/aab",
    "/plus/a%20b",
    "/pct%2541",
    "/pct%41",
    "/pct%252541",
    "/%C3%BCn%C3%AF",
    "/%C3%9CN%C3%8F",
    "/un%CC%88i",
    "/dots/../x",
    "/dots/%2E%2E/x",
    "/dots/ab/x",
    "",
]

_piece = st.one_of(st.sampled_from(_pieces), st.text(max_size=6).map(lambda t: quote(t, safe="")))

#: A request target path as a client writes it (percent-encoded where needed).
url_path = st.one_of(
    st.lists(_piece, min_size=1, max_size=5).map(lambda parts: "/" + "/".join(parts)),
    st.builds(
        lambda prefix, parts, slash: prefix + "".join("/" + p for p in parts) + slash,
        st.sampled_from(_prefixes),
        st.lists(_piece, max_size=3),
        st.sampled_from(["", "", "/"]),
    ),
)
# A target starting with "//" reads as scheme-relative authority to the test client.
url_path = url_path.filter(lambda url: not url.startswith("//"))


def fetch(url: str, origin: str) -> Result:
    response = APP.test_client().get(url, headers={"Origin": origin})
    return Result(response.status_code, list(response.headers.items()), response.get_data())


def applied_resource(result: Result) -> str | None:
    exposed = result.get(ACEH)
    if exposed is None:
        return None
    names = [h.strip() for h in exposed.split(",")]
    assert len(names) == 1, exposed
    assert names[0].startswith("X-Res-"), exposed
    return names[0][len("X-Res-") :]


@scaled(600)
@given(url=url_path, guess=st.sampled_from([*RESOURCES, None]))
def test_resource_follows_router_path(url: str, guess: str | None) -> None:
    result = fetch(url, origin_of(guess or "nothing"))
    # What the router matches: the target decoded exactly once, leading slashes merged.
    decoded_once = "/" + unquote(url, errors="replace").lstrip("/")
    if result.status == 200:
        seen = result.body.decode("utf-8")
        assert seen == decoded_once, (url, seen)
    else:
        assert result.status in (308, 404), result.status
        seen = decoded_once
    right = expected_resource(seen)
    event(f"resource {right}")
    origin_allowed = result.get(ACAO)
    if right is None:
        assert origin_allowed is None, (url, seen, result.headers)
        assert applied_resource(result) is None
        return
    # The guessed origin is allowed exactly when it belongs to the right resource.
    assert origin_allowed == (origin_of(guess or "") if guess == right else None), (
        url,
        seen,
        right,
        result.headers,
    )
    if guess == right:
        assert applied_resource(result) == right, (url, seen, result.headers)
    # Asking with the right resource's origin always succeeds and names that resource.
    again = fetch(url, origin_of(right))
    assert again.get(ACAO) == origin_of(right), (url, seen, right, again.headers)
    assert applied_resource(again) == right, (url, seen, right, again.headers)


def test_known_traps_resolve_like_the_router() -> None:
    cases = {
        "/api/v%31/x": "v1",
        "/api/v%2531/x": "api",
        "/api%2Fv1/users": "users",
        "/sp%20ace/x": "space",
        "/sp+ace/x": None,
        "/plus/a+b": "plus",
        "/plus/aab": None,
        "/plus/a%2Bb/c": "plus",
        "/pct%2541/x": "pct",
        "/pctA/x": None,
        "/case/x": None,
        "/Case": "case",
        "/%C3%BCn%C3%AF/x": "uni",
        "/%C3%9CN%C3%8F/x": None,
        "/dots/../x/y": None,
        "/apiary": None,
        "/files/a.txt/b": "txt",
        "/files/a.txtx": None,
    }
    for url, name in cases.items():
        got = applied_resource(fetch(url, origin_of(name or "none")))
        assert got == name, (url, got, name)
