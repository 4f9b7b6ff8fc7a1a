"""Hypothesis strategies for hostile and plausible CORS request values."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st
from robustness_support import LITERALS

#: Raw header text as a WSGI server could hand it over: latin-1, control characters included.
raw_text = st.text(st.characters(max_codepoint=0xFF), max_size=60)

_host_chars = st.text("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-.", min_size=1, max_size=20)

plausible_origin = st.builds(
    lambda scheme, host, port, tail: f"{scheme}://{host}{port}{tail}",
    st.sampled_from(["http", "https", "HTTPS", "ftp", "chrome-extension"]),
    st.one_of(
        _host_chars,
        st.sampled_from(
            ["app.example.com", "localhost", "a.example.com.evil.net", "Cased.example"]
        ),
    ),
    st.sampled_from(["", ":80", ":8080", ":443", ":99999", ":"]),
    st.sampled_from(["", "", "", "/", "/path", ".", "%0d%0a"]),
)


def _case_variants(value: str) -> st.SearchStrategy[str]:
    return st.sampled_from([value, value.upper(), value.lower(), value.swapcase()])


configured_origin_variants = st.one_of(
    *[_case_variants(v) for v in LITERALS],
    st.sampled_from(
        [
            "https://only.example",
            "https://ONLY.example",
            "https://api.example.com",
            "https://x-1.example.com",
            "https://a.example.com.evil.net",
            "https://evil.net/https://app.example.com",
            "http://localhost:1",
            "http://localhost:12345",
            "http://localhost:123456",
            "https://Cased.example",
            "https://cased.example",
        ]
    ),
)

hostile_origin = st.sampled_from(
    [
        "",
        " ",
        "null",
        "NULL",
        "*",
        "https://app.example.com\r\nSet-Cookie: a=1",
        "https://app.example.com\nX: y",
        "https://app.example.com\x00",
        "https://app.example.com, https://evil.net",
        "https://app.example.com ",
        " https://app.example.com",
        "https://app.example.com\t",
        "https://\xe4pp.example.com",
        "https://" + "a" * 1100 + ".example.com",
        "https://" + "a" * 990 + ".example.com",
    ]
)

#: An ``Origin`` header value, or ``None`` for a request without one.
origin_header = st.one_of(
    st.none(), configured_origin_variants, plausible_origin, hostile_origin, raw_text
)

_methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"]

request_method = st.one_of(
    st.sampled_from(["GET", "POST"]),
    st.sampled_from(_methods),
    st.sampled_from([m.lower() for m in _methods] + ["Get", "pAtCh", "PROPFIND", "X-CUSTOM"]),
    raw_text,
)

_header_names = [
    "content-type",
    "Content-Type",
    "x-custom",
    "X-Custom",
    "x-re-abc",
    "X-RE-Q",
    "x-re-",
    "authorization",
    "x-other",
    "*",
]

request_headers_value = st.one_of(
    st.none(),
    st.lists(st.sampled_from(_header_names), max_size=6).map(",".join),
    st.lists(st.sampled_from(_header_names), max_size=6).map(", ".join),
    st.sampled_from(
        [
            "",
            ",",
            "," * 9000,
            "x-a," * 70,
            "content-type\r\nx-injected: 1",
            "content-type\x00",
            "bad header",
            "x-custom;x",
            "x" * 9000,
        ]
    ),
    raw_text,
)

_segments = [
    "api",
    "API",
    "public",
    "Public",
    "items",
    "files",
    "a.json",
    "b.JSON",
    ".json",
    "x.json.json",
    "open",
    "decorated",
    "..",
    ".",
    "",
    "a+b",
    "a b",
    "%41",
    "%2F",
    "\u00fcn\u00ef",
    "\u2603",
    "x\r\ny",
    "x\x00",
]

#: A decoded request path (what the router sees).
decoded_path = st.one_of(
    st.lists(st.one_of(st.sampled_from(_segments), raw_text), max_size=5).map(
        lambda parts: "/" + "/".join(parts)
    ),
    st.sampled_from(
        [
            "/",
            "/items",
            "/open",
            "/open/x",
            "/decorated",
            "/api",
            "/api/x",
            "/api/public/x",
            "/files/a.json",
            "/files/b.JSON",
        ]
    ),
    st.just("/decorated"),
)

preflight_method = st.one_of(
    st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "patch", "put", "TRACE"]),
    request_method,
)


def url_encode_path(path: str) -> str:
    return quote(path, safe="/")
