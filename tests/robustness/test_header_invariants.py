"""Property: whatever a client writes into Origin, the preflight headers, the path or the
method, the CORS headers stay well-formed, safe and consistent with the configuration.

Every request goes twice through raw WSGI: to the app with CORS and to a twin without it,
so that "CORS changed nothing it should not" is checked against the real Flask answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from robustness_strategies import (
    decoded_path,
    origin_header,
    preflight_method,
    request_headers_value,
    request_method,
)
from robustness_support import (
    ACAC,
    ACAH,
    ACAM,
    ACAO,
    ACEH,
    ACMA,
    CORS_PREFIX,
    SETUP_NAMES,
    Policy,
    Result,
    Setup,
    call,
    endpoint_for_method,
    get_setup,
    has_dot_segment,
    is_serialized_origin_shape,
    is_token,
    make_environ,
    model_header_allows,
    routed,
    scaled,
    wsgi_path,
)

from flask_cors._text import is_safe_origin

_FORBIDDEN = ("\r", "\n", "\x00")


def _environ(path: str, raw_path: bool, method: str, headers: dict[str, str | None]) -> Any:
    # A raw PATH_INFO is latin-1 text (bytes as a server received them); other paths go
    # through the usual UTF-8 round trip.
    latin1 = all(ord(c) < 0x100 for c in path)
    return make_environ(path if raw_path and latin1 else wsgi_path(path), method, headers)


def _parseable_request_headers(value: str | None) -> list[str] | None:
    """Requested header names when the value is one a browser could send, else None."""
    if value is None:
        return []
    parts = [p.strip(" \t") for p in value.split(",")]
    names = [p for p in parts if p]
    if len(value) > 8192 or len(names) > 64 or not all(is_token(n) for n in names):
        return None
    return [n.lower() for n in names]


def _non_cors_headers(result: Result) -> list[tuple[str, str]]:
    return sorted(
        (k.lower(), v)
        for k, v in result.headers
        if not k.lower().startswith(CORS_PREFIX) and k.lower() != "vary"
    )


def check_response(
    setup: Setup,
    environ: dict[str, Any],
    result: Result,
    control: Result,
) -> None:
    origin = environ.get("HTTP_ORIGIN")
    acrm = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
    acrh = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
    path, endpoint, method = routed(setup.app, environ)
    preflight = method == "OPTIONS" and acrm is not None
    # A preflight is judged by the route that serves the method it asks for.
    serving = endpoint_for_method(setup.app, environ, acrm) if preflight and acrm else None
    policy: Policy | None = setup.resolve(path, serving or endpoint)
    cors = result.cors()
    if policy is not None and has_dot_segment(path):
        # Browsers resolve dot segments: such a path gets no CORS headers at all.
        assert cors == {}, cors
        assert ("origin" in result.vary_tokens()) == policy.vary, result.headers
        return

    # Nothing CORS does may turn a working request into a server error.
    assert result.status < 500, (result.status, control.status)

    # No header carries a line break or NUL, whatever the request carried.
    for name, value in result.headers:
        for bad in _FORBIDDEN:
            assert bad not in name, (name, value)
            assert bad not in value, (name, value)

    # Each CORS header appears at most once: two ACAO lines fail in every browser.
    for name in {k.lower() for k, _ in result.headers if k.lower().startswith(CORS_PREFIX)}:
        assert len(result.all(name)) == 1, (name, result.all(name))

    acao = cors.get(ACAO)
    if acao is not None:
        allowed_values = {"*", origin}
        if origin is None and policy is not None and policy.single:
            allowed_values.add(policy.single)
        assert acao in allowed_values, (acao, origin)
    if ACAC in cors:
        assert cors[ACAC] == "true"
        assert acao != "*"
        assert policy is not None
        assert policy.credentials

    vary = result.vary_tokens()
    assert len(vary) == len(set(vary)), vary
    assert set(control.vary_tokens()) <= set(vary)

    event(
        "no CORS"
        if policy is None
        else f"{'preflight' if preflight else 'actual'}, "
        f"{'no origin' if origin is None else 'allowed' if policy.allows(origin) else 'denied'}"
        f"{', ACAM' if ACAM in cors else ''}{', ACAH' if ACAH in cors else ''}"
    )
    if policy is None:
        assert cors == {}, cors
        assert sorted(vary) == sorted(control.vary_tokens())
    else:
        if policy.vary and not policy.static:
            assert "origin" in vary, (result.headers, policy)
        if not policy.vary:
            assert sorted(vary) == sorted(control.vary_tokens())
        if origin is None or not preflight:
            assert acao == policy.acao_for(origin), (acao, origin, policy)
            if acao is None:
                assert cors == {}, cors
            else:
                assert (ACAC in cors) == policy.credentials
                expected_expose = {h.lower() for h in policy.expose}
                exposed = {h.strip().lower() for h in cors.get(ACEH, "").split(",") if h.strip()}
                assert exposed == expected_expose
                assert ACAM not in cors
                assert ACAH not in cors
        else:
            check_preflight(policy, origin, acrm, acrh, cors, result)

    answered_early = (
        preflight
        and serving is not None
        and policy is not None
        and origin is not None
        and is_safe_origin(origin)
        and policy.allows(origin)
    )
    if answered_early:
        assert 200 <= result.status < 300, result.status
        assert result.body == b""
    else:
        # CORS leaves the app's own answer alone: status, body and other headers.
        assert result.status == control.status
        assert result.body == control.body
        assert _non_cors_headers(result) == _non_cors_headers(control)


def check_preflight(
    policy: Policy,
    origin: str,
    acrm: str,
    acrh: str | None,
    cors: dict[str, str],
    result: Result,
) -> None:
    acao = cors.get(ACAO)
    requested = _parseable_request_headers(acrh)
    if policy.static and not is_safe_origin(origin):
        # No browser sends such an Origin; where everyone gets "*", it gets the answer of
        # a request without Origin: "*", and nothing a preflight would add.
        assert acao == "*", cors
        assert not {ACAM, ACAH, ACMA} & set(cors), cors
        return
    deserved = policy.allows(origin) and is_token(acrm) and requested is not None
    if not deserved:
        assert acao is None or (policy.allows(origin) and acao in ("*", origin)), cors
        if acao is None:
            assert cors == {}, cors
        return
    assert acao == ("*" if policy.static else origin), (acao, origin)
    method_ok = acrm in policy.allowed_methods
    assert (ACAM in cors) == method_ok, (acrm, cors)
    if not method_ok:
        # A refused method fails the preflight whatever else is sent.
        assert set(cors) <= {ACAO, ACAC, ACEH}, cors
        return
    assert (ACAC in cors) == policy.credentials
    listed = {m.strip() for m in cors[ACAM].split(",")}
    assert listed == set(policy.allowed_methods)
    if policy.max_age is not None:
        assert cors.get(ACMA) == str(policy.max_age)
    assert requested is not None
    expected_headers = {n for n in requested if model_header_allows(policy.allow_headers, n)}
    got_headers = {n.strip().lower() for n in cors.get(ACAH, "").split(",") if n.strip()}
    assert got_headers == expected_headers, (acrh, cors)


#: (method, Access-Control-Request-Method): actual requests and preflights, half each.
method_and_acrm = st.one_of(
    st.tuples(request_method, st.one_of(st.none(), request_method)),
    st.tuples(st.sampled_from(["OPTIONS", "options"]), preflight_method),
)


@pytest.mark.parametrize("name", SETUP_NAMES)
@scaled(400)
@given(
    path=decoded_path,
    raw_path=st.booleans(),
    method_acrm=method_and_acrm,
    origin=origin_header,
    acrh=request_headers_value,
)
def test_cors_headers_are_safe_and_deserved(
    name: str,
    path: str,
    raw_path: bool,
    method_acrm: tuple[str, str | None],
    origin: str | None,
    acrh: str | None,
) -> None:
    setup = get_setup(name)
    method, acrm = method_acrm
    environ = _environ(
        path,
        raw_path,
        method,
        {
            "Origin": origin,
            "Access-Control-Request-Method": acrm,
            "Access-Control-Request-Headers": acrh,
        },
    )
    result = call(setup.app, environ)
    control = call(setup.control, environ)
    check_response(setup, environ, result, control)


@pytest.mark.parametrize("name", SETUP_NAMES)
@scaled(120)
@given(
    path=decoded_path,
    method=st.sampled_from(["GET", "POST", "OPTIONS", "PUT"]),
    acrm=st.one_of(st.none(), st.sampled_from(["GET", "PUT", "patch"])),
    origin=origin_header,
    others=st.lists(origin_header, min_size=1, max_size=3),
)
def test_response_without_vary_origin_does_not_depend_on_origin(
    name: str,
    path: str,
    method: str,
    acrm: str | None,
    origin: str | None,
    others: list[str | None],
) -> None:
    """A shared cache may serve a response without ``Vary: Origin`` to any other origin,
    so its CORS headers must be the ones every other origin would have received."""
    setup = get_setup(name)

    def fetch(value: str | None) -> Result:
        headers = {"Origin": value, "Access-Control-Request-Method": acrm}
        return call(setup.app, make_environ(wsgi_path(path), method, headers))

    first = fetch(origin)
    environ = make_environ(wsgi_path(path), method, {"Origin": origin})
    policy = setup.resolve(*routed(setup.app, environ)[:2])
    if "origin" in first.vary_tokens() or (policy is not None and not policy.vary):
        return
    for other in others:
        assert fetch(other).cors() == first.cors(), (origin, other, path, setup.name)


def test_serialized_origin_model_sanity() -> None:
    assert is_serialized_origin_shape("https://a.example")
    assert not is_serialized_origin_shape("https://a.example\r\n")
    assert not is_serialized_origin_shape("https://a b")
    assert not is_serialized_origin_shape("a,b")
