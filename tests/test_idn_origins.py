"""Internationalised origins: a literal with a Unicode host is compared in punycode form.

Browsers serialise an origin with its host in ASCII (``https://xn--bcher-kva.example``), so
a literal written ``https://bücher.example`` is converted at start-up (UTS #46, as the URL
standard does) and compared in that form.
"""

from __future__ import annotations

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


def client_for(origins: object, **kwargs: object):  # type: ignore[no-untyped-def]
    app = Flask("idn")

    @app.get("/")
    def index() -> str:
        return "index"

    CORS(app, origins=origins, **kwargs)
    return app.test_client()


@pytest.mark.parametrize(
    ("configured", "sent"),
    [
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("https://Bücher.example:8443", "https://xn--bcher-kva.example:8443"),
        ("https://faß.de", "https://xn--fa-hia.de"),  # not "fass.de": no transitional mapping
        ("https://日本語.jp", "https://xn--wgv71a119e.jp"),
    ],
)
def test_unicode_literal_origin_allows_the_punycode_origin_browsers_send(
    configured: str, sent: str
) -> None:
    response = client_for([configured, "https://other.example"]).get("/", headers={"Origin": sent})
    assert response.headers["Access-Control-Allow-Origin"] == sent


def test_unicode_literal_is_sent_in_punycode_to_requests_without_origin() -> None:
    response = client_for("https://bücher.example").get("/")
    assert response.headers["Access-Control-Allow-Origin"] == "https://xn--bcher-kva.example"


def test_unicode_origin_header_is_never_echoed() -> None:
    response = client_for("https://bücher.example").get(
        "/", headers={"Origin": "https://bücher.example"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers


def test_literal_that_is_no_valid_host_name_is_refused_naming_the_option() -> None:
    with pytest.raises(CORSConfigError, match="not an origin browsers can send") as caught:
        client_for(["https://snow☃man.example"])
    assert caught.value.option == "origins"
