"""``Vary``: caches must key CORS answers on what they depend on."""

from __future__ import annotations

import pytest
from flask import Flask, make_response

from flask_cors import CORS

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


def app_with_vary(*lines: str, **cors_kwargs: object) -> Flask:
    """An app whose ``/v`` view sets the given ``Vary`` header lines itself."""
    app = Flask("vary")

    @app.route("/v", methods=["GET", "OPTIONS"])
    def with_vary():
        response = make_response("v")
        for line in lines:
            response.headers.add("Vary", line)
        return response

    @app.route("/plain")
    def plain() -> str:
        return "plain"

    CORS(app, **cors_kwargs)
    return app


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": ORIGIN},
        {"Origin": "https://denied.example"},
        {},
    ],
    ids=["allowed", "denied", "no-origin"],
)
def test_vary_origin_on_every_response_of_an_enabled_resource(cors_client, vary_of, headers):
    client = cors_client(origins=[ORIGIN, "https://second.example"])

    response = client.get("/", headers=headers)

    assert vary_of(response) == ["Origin"]


def test_vary_origin_with_any_origin_reflected(cors_client, vary_of):
    client = cors_client()

    response = client.get("/", headers={"Origin": ORIGIN})

    assert vary_of(response) == ["Origin"]


def test_preflight_varies_on_origin_and_the_request_headers(cors_client, preflight, vary_of):
    client = cors_client()

    response = preflight(client)

    assert vary_of(response) == [
        "Origin",
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
    ]


def test_denied_preflight_still_varies(cors_client, preflight, vary_of):
    client = cors_client(origins="https://other.example")

    response = preflight(client)

    assert "Origin" in vary_of(response)


def test_no_vary_outside_enabled_resources(cors_client, vary_of):
    client = cors_client(resources="/api/*")

    response = client.get("/elsewhere", headers={"Origin": ORIGIN})

    assert "Access-Control-Allow-Origin" not in response.headers
    assert vary_of(response) == []


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (["Accept-Encoding"], ["Accept-Encoding", "Origin"]),
        (["Accept-Encoding, Cookie"], ["Accept-Encoding", "Cookie", "Origin"]),
        (["Origin"], ["Origin"]),
        (["origin"], ["origin"]),
        (["Accept-Encoding, ORIGIN"], ["Accept-Encoding", "ORIGIN"]),
        (["*"], ["*"]),
        (["Accept, *"], ["Accept", "*"]),
    ],
)
def test_vary_merged_with_the_views_own_vary(vary_of, existing, expected):
    client = app_with_vary(*existing).test_client()

    response = client.get("/v", headers={"Origin": ORIGIN})

    assert vary_of(response) == expected


def test_vary_merge_keeps_every_vary_line_of_the_view(vary_of):
    client = app_with_vary("Accept-Encoding", "Cookie").test_client()

    response = client.get("/v", headers={"Origin": ORIGIN})

    assert sorted(vary_of(response)) == ["Accept-Encoding", "Cookie", "Origin"]


def test_vary_star_on_a_later_line_is_left_alone(vary_of):
    client = app_with_vary("Accept-Encoding", "*").test_client()

    response = client.get("/v", headers={"Origin": ORIGIN})

    assert "*" in vary_of(response)
    assert "Origin" not in vary_of(response)


def test_vary_merge_on_preflight_handled_by_the_view(vary_of, preflight):
    client = app_with_vary("Accept-Encoding, origin").test_client()

    response = preflight(client, "/v")

    assert vary_of(response) == [
        "Accept-Encoding",
        "origin",
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
    ]


@pytest.mark.parametrize("headers", [{"Origin": ORIGIN}, {"Origin": "https://x.example"}, {}])
def test_static_configuration_needs_no_vary(cors_client, vary_of, headers):
    client = cors_client(origins="*", send_wildcard=True, always_send=True)

    response = client.get("/", headers=headers)

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert vary_of(response) == []


def test_static_configuration_preflight_still_varies_on_origin(cors_client, preflight, vary_of):
    # Every valid Origin gets "*", but a preflight without a valid Origin gets no
    # Access-Control-Allow-Methods: a shared cache must keep the two apart.
    client = cors_client(origins="*", send_wildcard=True, always_send=True)

    with_origin = preflight(client)
    without_origin = preflight(client, origin=None)

    assert "Access-Control-Allow-Methods" in with_origin.headers
    assert "Access-Control-Allow-Methods" not in without_origin.headers
    for response in (with_origin, without_origin):
        assert vary_of(response) == [
            "Origin",
            "Access-Control-Request-Method",
            "Access-Control-Request-Headers",
        ]


@pytest.mark.parametrize(
    "config",
    [
        {"origins": "*", "send_wildcard": True, "always_send": False},
        {"origins": "*", "send_wildcard": False, "always_send": True},
        {"origins": "https://one.example", "always_send": True},
    ],
)
def test_origin_dependent_configurations_vary(cors_client, vary_of, config):
    client = cors_client(**config)

    response = client.get("/")

    assert vary_of(response) == ["Origin"]


@pytest.mark.parametrize("headers", [{"Origin": ORIGIN}, {"Origin": "https://no.example"}, {}])
def test_vary_header_false_never_touches_vary(vary_of, headers):
    client = app_with_vary("Accept", origins=[ORIGIN], vary_header=False).test_client()

    with_view_vary = client.get("/v", headers=headers)
    without = client.get("/plain", headers=headers)

    assert with_view_vary.headers.getlist("Vary") == ["Accept"]
    assert "Vary" not in without.headers


def test_vary_header_false_on_preflight(cors_client, preflight):
    client = cors_client(vary_header=False)

    response = preflight(client)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert "Vary" not in response.headers
