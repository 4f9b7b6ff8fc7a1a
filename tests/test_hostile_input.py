"""Hostile request headers: never a 500, never echoed, never a CORS grant; logs stay clean."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

GOOD_ORIGIN = "https://client.example"

HOSTILE_ORIGINS = [
    "https://client.example\r\nSet-Cookie: stolen=1",
    "https://client.example\nX-Injected: 1",
    "https://client.example\r",
    "https://client.example\x00",
    "https://client.example\x7f",
    "https://client .example",
    "https://client.example, https://evil.example",
    "https://client.example,https://evil.example",
    "https://cli\u00e9nt.example",
    "https://xn--cli\u00ebnt.example",
    "https://client.example\t",
    "https://" + "a" * 1100 + ".example",
    "",
    " ",
]


@pytest.mark.parametrize("origin", HOSTILE_ORIGINS)
def test_hostile_origin_gets_no_allow_origin(cors_client, cors_headers, origin):
    client = cors_client(expose_headers="X-Total")

    response = client.get("/api/items", environ_overrides={"HTTP_ORIGIN": origin})

    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert all(origin not in value for _, value in response.headers if origin.strip())


@pytest.mark.parametrize("origin", HOSTILE_ORIGINS)
def test_hostile_origin_gets_the_static_answer_of_a_wildcard_config(
    cors_client, cors_headers, origin
):
    client = cors_client(send_wildcard=True, expose_headers="X-Total")
    without_origin = client.get("/api/items")

    response = client.get("/api/items", environ_overrides={"HTTP_ORIGIN": origin})

    assert response.status_code == 200
    assert cors_headers(response) == cors_headers(without_origin)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert all(origin not in value for _, value in response.headers if origin.strip())


@pytest.mark.parametrize("origin", HOSTILE_ORIGINS)
def test_response_to_hostile_origin_varies_on_origin(cors_client, vary_of, origin):
    client = cors_client()

    response = client.get("/api/items", environ_overrides={"HTTP_ORIGIN": origin})

    assert vary_of(response) == ["Origin"]


@pytest.mark.parametrize("origin", ["https://a b", "https://a\r\nb", "https://" + "a" * 2000])
def test_static_configuration_never_lets_a_cache_share_a_refusal(cors_client, vary_of, origin):
    # With origins "*", send_wildcard and always_send every well-formed request gets
    # "Access-Control-Allow-Origin: *" and no Vary. A malformed Origin gets no header at
    # all: unless that response varies on Origin, a shared cache would serve the refusal
    # to every browser afterwards.
    client = cors_client(send_wildcard=True)

    response = client.get("/api/items", environ_overrides={"HTTP_ORIGIN": origin})

    assert response.headers.get("Access-Control-Allow-Origin") == "*" or "Origin" in vary_of(
        response
    )


@pytest.mark.parametrize("origin", HOSTILE_ORIGINS)
def test_hostile_origin_on_preflight_gets_no_cors_headers(cors_client, cors_headers, origin):
    client = cors_client()

    response = client.options(
        "/api/items",
        environ_overrides={
            "HTTP_ORIGIN": origin,
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "PUT",
            "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "x-custom",
        },
    )

    assert response.status_code == 200
    assert cors_headers(response) == {}


def test_origin_at_the_length_limit_is_still_allowed(cors_client):
    origin = "https://" + "a" * (1024 - len("https://.example")) + ".example"
    assert len(origin) == 1024
    client = cors_client()

    response = client.get("/", environ_overrides={"HTTP_ORIGIN": origin})

    assert response.headers["Access-Control-Allow-Origin"] == origin


def test_origin_just_over_the_length_limit_is_refused(cors_client):
    origin = "https://" + "a" * (1025 - len("https://.example")) + ".example"
    client = cors_client()

    response = client.get("/", environ_overrides={"HTTP_ORIGIN": origin})

    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "method",
    ["ET, P", "GET\r\nX-Injected: 1", "GET PUT", "", "G\u00c9T", "GET\x00", "(GET)", "GET,"],
)
def test_non_token_request_method_gets_no_cors_headers(cors_client, cors_headers, method):
    client = cors_client()

    response = client.options(
        "/api/items",
        environ_overrides={
            "HTTP_ORIGIN": GOOD_ORIGIN,
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD": method,
        },
    )

    assert response.status_code == 200
    assert cors_headers(response) == {}


@pytest.mark.parametrize(
    "request_headers",
    [
        "x-a," * 2300,
        "x-" + "a" * 9000,
        ",".join(f"x-h{number}" for number in range(65)),
        "x-ok, bad header",
        "x-ok, x(bad)",
        "x-ok\r\nX-Injected: 1",
        "x-ok, x-caf\u00e9",
        "x-ok;x-other",
        "x-ok, \x00",
        'x-ok, "quoted"',
    ],
    ids=[
        "many-commas",
        "huge-name",
        "65-names",
        "space-in-name",
        "parentheses",
        "crlf",
        "non-ascii",
        "semicolon",
        "nul",
        "quotes",
    ],
)
def test_malformed_request_headers_refuse_the_preflight(cors_client, cors_headers, request_headers):
    client = cors_client()

    response = client.options(
        "/api/items",
        environ_overrides={
            "HTTP_ORIGIN": GOOD_ORIGIN,
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "PUT",
            "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": request_headers,
        },
    )

    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert all(len(value) < 200 for _, value in response.headers)


def test_sixty_four_request_headers_are_still_accepted(cors_client, preflight):
    names = [f"x-h{number}" for number in range(64)]
    client = cors_client()

    response = preflight(client, request_headers=",".join(names))

    assert response.headers["Access-Control-Allow-Headers"] == ", ".join(sorted(names))


def test_request_headers_with_tabs_and_spaces_around_names_are_accepted(cors_client, preflight):
    client = cors_client()

    response = preflight(client, request_headers=" x-a ,\tx-b\t,x-c")

    assert response.headers["Access-Control-Allow-Headers"] == "x-a, x-b, x-c"


def test_private_network_request_header_garbage_is_ignored(cors_client, preflight):
    client = cors_client(allow_private_network=True)

    response = client.options(
        "/api/items",
        environ_overrides={
            "HTTP_ORIGIN": GOOD_ORIGIN,
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "PUT",
            "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK": "true\r\nX: y",
        },
    )

    assert response.headers["Access-Control-Allow-Origin"] == GOOD_ORIGIN
    assert "Access-Control-Allow-Private-Network" not in response.headers


LOG_CASES = [
    {"HTTP_ORIGIN": "https://evil.example\r\nX-Injected: 1"},
    {"HTTP_ORIGIN": "https://evil.example\n2024-01-01 INFO forged line"},
    {
        "HTTP_ORIGIN": GOOD_ORIGIN,
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "PUT\r\nforged",
        "REQUEST_METHOD": "OPTIONS",
    },
    {
        "HTTP_ORIGIN": GOOD_ORIGIN,
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "PUT",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "x-a\r\nforged",
        "REQUEST_METHOD": "OPTIONS",
    },
    {
        "HTTP_ORIGIN": "https://evil.example\r\nforged",
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "PUT",
        "REQUEST_METHOD": "OPTIONS",
    },
]


@pytest.mark.parametrize("environ", LOG_CASES)
@pytest.mark.parametrize("origins", ["*", ["https://other.example"]])
def test_debug_log_never_carries_raw_control_characters(cors_client, caplog, environ, origins):
    client = cors_client(origins=origins, methods=["GET"])
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    response = client.open("/api/items", environ_overrides=environ)

    assert response.status_code == 200
    records = [record for record in caplog.records if record.name.startswith("flask_cors")]
    assert records
    for record in records:
        message = record.getMessage()
        assert "\r" not in message
        assert "\n" not in message
        assert "\x00" not in message


def test_hostile_origin_appears_escaped_in_the_debug_log(cors_client, caplog):
    client = cors_client()
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    client.get("/", environ_overrides={"HTTP_ORIGIN": "https://evil.example\r\nX: 1"})

    messages = [record.getMessage() for record in caplog.records]
    assert any(r"https://evil.example\r\nX: 1" in message for message in messages)


def test_non_ascii_origin_appears_escaped_in_the_debug_log(cors_client, caplog):
    client = cors_client()
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    client.get("/", environ_overrides={"HTTP_ORIGIN": "https://\u00e9vil.example"})

    messages = [record.getMessage() for record in caplog.records]
    assert any(r"https://\xe9vil.example" in message for message in messages)
    assert all(message.isascii() for message in messages)


def test_huge_origin_is_truncated_in_the_debug_log(cors_client, caplog):
    client = cors_client()
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    client.get("/", environ_overrides={"HTTP_ORIGIN": "https://" + "a" * 5000})

    messages = [record.getMessage() for record in caplog.records]
    assert messages
    assert all(len(message) < 1500 for message in messages)
    assert any("truncated" in message for message in messages)


@pytest.mark.parametrize(
    "text",
    [
        "https://a.example",
        "GET",
        "/api/items?x=1",
        "tab\there",
        "new\nline",
        "back\\slash",
        "del\x7f",
        "\u202eevil",
        "caf\u00e9",
        "x" * 300,
        "",
    ],
)
def test_escaping_for_records_leaves_only_printable_ascii_without_backslashes_as_it_is(
    text: str,
) -> None:
    from flask_cors._text import escape

    rendered = escape(text, quote=False)
    full = text[:200].encode("unicode_escape").decode("ascii")
    assert rendered == full + ("...(truncated)" if len(text) > 200 else "")
    assert rendered.isascii()
    assert rendered.isprintable()
