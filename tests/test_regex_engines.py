"""A configured pattern matches the same strings on ``re`` and on RE2.

Costly patterns run on RE2 (see ``test_regex_cost.py``). RE2 reads ``\\d``, ``\\w``, ``\\s``
as ASCII and folds case by its own tables, so a pattern is not handed to it as written: its
RE2 text is rebuilt from ``re``'s parse. These tests compare the two engines character by
character over every code point, on random patterns, and through a real app.
"""

from __future__ import annotations

import re
from array import array
from functools import cache

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from flask_cors import CORS, CORSConfigError
from flask_cors._regex import LinearPattern, Untranslatable, compile_bounded, re2_text
from flask_cors.resources import path_matcher

try:
    import re2  # type: ignore[import-untyped]
except ImportError:  # only with --without-re2 (conftest.py), which skips the tests marked re2
    re2 = None

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


@cache
def every_character() -> str:
    """Every code point RE2 can be given (all but the surrogates), in order."""
    points = [p for p in range(0x110000) if not 0xD800 <= p <= 0xDFFF]
    return array("I", points).tobytes().decode("utf-32-le")


@cache
def runs_on_re(pattern: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, every_character())]


@cache
def runs_on_re2(pattern: str) -> list[tuple[int, int]]:
    options = re2.Options()
    options.max_mem = 64 << 20
    engine = re2.compile(re2_text(pattern), options)
    return [m.span() for m in engine.finditer(every_character())]


# --- every code point ------------------------------------------------------------------------

PERL_CLASSES = [
    r"\d",
    r"\D",
    r"\w",
    r"\W",
    r"\s",
    r"\S",
    r"[\d]",
    r"[^\d]",
    r"[\w-]",
    r"[^\W\d_]",
    r"[^\s/]",
    r"[\S\d]",
]
CASE_ITEMS = [
    "k",
    "s",
    "i",
    "\u00df",  # sharp s
    "\u1e9e",  # capital sharp s
    "\u0130",  # capital I with dot above
    "\u03c3",  # sigma
    "[a-z]",
    "[^a-z]",
    "[0-9a-f]",
    "[\u00c0-\u00ff]",
    "[^\\W\\d]",
]


def character_cases() -> list[tuple[str, str]]:
    cases = [(flags, item) for item in PERL_CLASSES for flags in ("", "(?a)", "(?i)", "(?ai)")]
    cases += [(flags, item) for item in CASE_ITEMS for flags in ("(?i)", "(?ai)")]
    cases += [(flags, ".") for flags in ("", "(?s)", "(?i)")]
    # Scoped flags: inside a group, and taken back inside one.
    cases += [("", r"(?i:k)"), ("", r"(?a:\w)"), ("(?a)", r"(?u:\w)"), ("(?i)", r"(?-i:k)")]
    return cases


@pytest.mark.re2
@pytest.mark.parametrize(("flags", "item"), character_cases())
def test_each_character_test_matches_the_same_code_points_on_re_and_re2(
    flags: str, item: str
) -> None:
    pattern = f"{flags}(?:{item})+"

    assert runs_on_re2(pattern) == runs_on_re(pattern)


@pytest.mark.re2
def test_unicode_digits_are_digits_on_both_engines() -> None:
    digits = runs_on_re(r"\d+")

    assert len(digits) > 50  # far more than 0-9
    assert runs_on_re2(r"\d+") == digits
    assert runs_on_re2(r"(?a)\d+") == [(48, 58)]


@pytest.mark.re2
@pytest.mark.parametrize("pattern", [r"(?ai)(?:^|\d|k)", r"(?ai)(?:\Z|s|-)", r"(?a)(?:$|(?i:k))"])
def test_ascii_case_pair_keeps_its_meaning_inside_an_alternation(pattern: str) -> None:
    # RE2 reads the class [Kk] as "k ignoring case", and widens that to the Kelvin sign
    # (and [Ss] to the long s) when it merges an alternation into one class.
    linear = re2.compile(re2_text(pattern))

    for string in ("k", "K", "\u212a", "s", "S", "\u017f", "-", "3"):
        assert bool(linear.fullmatch(string)) == bool(re.fullmatch(pattern, string)), string


# --- random patterns -----------------------------------------------------------------------

ATOMS = [
    r"\d",
    r"\D",
    r"\w",
    r"\W",
    r"\s",
    r"\S",
    ".",
    "[a-z]",
    "[^a-z0-9]",
    r"[\d_]",
    r"[^\W\d]",
    "k",
    "s",
    "i",
    "x",
    "/",
    "-",
    r"\n",
    "\u00df",
    "\u0130",
    "\u03a3",
    "\u0663",
    "^",
    "$",
    r"\A",
    r"\Z",
    r"\b",
    r"\B",
]
#: Characters on which the engines could disagree: Unicode digits, letters with unusual
#: case mappings, Unicode spaces, line feeds.
ALPHABET = (
    "axkKsSiI/-_\n 3\u0663\uff13\u00df\u1e9e\u0130\u0131\u017f\u212a"
    "\u03c3\u03a3\u03c2\u00a0\u2028\u1680\u00e9"
)


def patterns() -> st.SearchStrategy[str]:
    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.lists(inner, min_size=2, max_size=3).map("".join),
            st.lists(inner, min_size=2, max_size=3).map(
                lambda parts: "(?:" + "|".join(parts) + ")"
            ),
            st.tuples(inner, st.sampled_from(["*", "+", "?", "{1,3}", "*?"])).map(
                lambda pair: f"(?:{pair[0]}){pair[1]}"
            ),
            st.tuples(st.sampled_from(["i", "-i", "s", "a", "m", "u"]), inner).map(
                lambda pair: f"(?{pair[0]}:{pair[1]})"
            ),
        )

    body = st.recursive(st.sampled_from(ATOMS), grow, max_leaves=6)
    flags = st.sampled_from(["", "(?i)", "(?s)", "(?a)", "(?m)", "(?ai)", "(?is)"])
    return st.tuples(flags, body).map("".join)


#: Every string of up to two characters of the alphabet.
SHORT_STRINGS = ["", *ALPHABET, *(a + b for a in ALPHABET for b in ALPHABET)]


@pytest.mark.re2
@settings(max_examples=300, deadline=None)
@given(pattern=patterns(), longer=st.lists(st.text(ALPHABET, min_size=3, max_size=6), max_size=8))
def test_random_patterns_match_the_same_strings_on_re_and_re2(
    pattern: str, longer: list[str]
) -> None:
    try:
        expected = re.compile(pattern)
    except re.error:
        return  # not a pattern (a scoped "(?a:" under "(?u)", say)
    try:
        linear = re2.compile(re2_text(pattern))
    except Untranslatable:
        return  # refused at start-up, tested below
    for string in SHORT_STRINGS + longer:
        assert bool(linear.fullmatch(string)) == bool(expected.fullmatch(string)), string


# --- what cannot be translated is refused ----------------------------------------------------


@pytest.mark.parametrize(
    ("option", "pattern", "reason"),
    [
        ("resources", r"/api/(a|aa)+\b", r"add '\(\?a\)'"),
        ("resources", r"/api/(a|aa)+\Bx", "no exact RE2 equivalent"),
        ("origins", r"https://(a|aa)+$\s*", r"write '\\Z'"),
        ("origins", r"https://([a-z]+-?)+(?<!-)\.example\.com", "lookaround"),
        ("resources", r"/x/(a|aa)+(?P<n>b)(?P=n)", "back-reference"),
        ("resources", r"/x/(?>a|aa)+b", "atomic group"),
        ("resources", r"/x/(a|aa)++b", "possessive"),
        pytest.param(
            "resources", r"/x/(a|aa){2000}", "RE2 cannot compile it", marks=pytest.mark.re2
        ),
        ("resources", r"/x/(a)?(?(1)(a|aa)+|b)", "conditional group"),
    ],
)
def test_costly_pattern_re2_cannot_run_exactly_is_refused_naming_the_option(
    option: str, pattern: str, reason: str
) -> None:
    value = {pattern: {}} if option == "resources" else [pattern]

    with pytest.raises(CORSConfigError, match=reason) as caught:
        CORS(Flask("refused"), **{option: value})

    assert caught.value.option == option
    assert "linear-time engine" in str(caught.value)


def test_locale_flag_on_a_text_pattern_is_refused_as_invalid() -> None:
    with pytest.raises(CORSConfigError, match="invalid regular expression") as caught:
        CORS(Flask("refused"), origins=[r"(?L)https://(a|aa)+\.example\.com"])
    assert caught.value.option == "origins"


@pytest.mark.re2
@pytest.mark.parametrize(
    ("pattern", "flags", "strings"),
    [
        (r"(?a)/api/(a|aa)+\b", 0, ["/api/aa", "/api/aa/x", "/api/aab", "/api/aa\u00e9"]),
        (r"/api/(a|aa)+\b", re.ASCII, ["/api/aa", "/api/aa-x", "/api/aa_"]),
        (r"/api/(a|aa)+$", 0, ["/api/aa", "/api/aa\n", "/api/aa/\n", "/api/aa/b"]),
        (r"(?m)/api/(a|aa)+$", 0, ["/api/aa", "/api/aa\n", "/api/aa\nb"]),
        ("/api/ (a | aa)+  /items  # spaces ignored", re.VERBOSE, ["/api/aa/items"]),
    ],
)
def test_costly_pattern_with_an_exact_translation_runs_on_re2_as_on_re(
    pattern: str, flags: int, strings: list[str]
) -> None:
    compiled = compile_bounded("origins", "test", pattern, flags)

    assert isinstance(compiled, LinearPattern)
    for string in strings:
        assert bool(compiled.fullmatch(string)) == bool(re.fullmatch(pattern, string, flags))


# --- the report: a Unicode digit in a path ---------------------------------------------------

ADMIN = "https://admin.example"
PARTNER = "https://partner.example"
ADMIN_PATTERN = r"/api/.*/users/\d+/.*"
PROFILES = {
    ADMIN_PATTERN: {"origins": [ADMIN], "supports_credentials": True},
    r"/api/*": {"origins": [PARTNER], "supports_credentials": True},
}


def profiles_app() -> Flask:
    app = Flask("profiles")

    @app.route("/api/<tenant>/users/<int:uid>/profile")
    def profile(tenant: str, uid: int) -> dict[str, int]:
        return {"uid": uid}

    CORS(app, resources=PROFILES)
    return app


@pytest.mark.re2
def test_admin_pattern_with_a_perl_class_runs_on_re2() -> None:
    assert isinstance(path_matcher(ADMIN_PATTERN), LinearPattern)


@pytest.mark.re2
def test_arabic_indic_digit_in_a_path_gets_the_admin_policy_not_the_partner_one() -> None:
    client = profiles_app().test_client()
    path = "/api/acme/users/%D9%A3/profile"  # ARABIC-INDIC DIGIT THREE: user 3

    admin = client.get(path, headers={"Origin": ADMIN})
    partner = client.get(path, headers={"Origin": PARTNER})

    assert admin.json == {"uid": 3}
    assert admin.headers["Access-Control-Allow-Origin"] == ADMIN
    assert admin.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Access-Control-Allow-Origin" not in partner.headers
    assert "Access-Control-Allow-Credentials" not in partner.headers


def flask_cors_6_origin(path: str) -> str:
    """The origin Flask-Cors 6 allows on ``path``: regex resources ordered by their number
    of ``/`` then length (most first), the first ``re.match`` wins."""
    for pattern in sorted(PROFILES, key=lambda p: (-p.count("/"), -len(p))):
        if re.match(pattern, path):
            return str(PROFILES[pattern]["origins"][0])
    raise AssertionError(path)


@pytest.mark.re2
@pytest.mark.parametrize(
    "digits",
    [
        "3",
        "12",
        "\u0663",  # ARABIC-INDIC DIGIT THREE
        "\u0969",  # DEVANAGARI DIGIT THREE
        "\uff13",  # FULLWIDTH DIGIT THREE
        "\U0001d7d1",  # MATHEMATICAL BOLD DIGIT THREE
        "1\u06f22",  # EXTENDED ARABIC-INDIC DIGIT TWO between ASCII digits
    ],
)
def test_path_with_unicode_digits_gets_the_policy_flask_cors_6_gives_it(digits: str) -> None:
    client = profiles_app().test_client()
    path = f"/api/acme/users/{digits}/profile"
    expected = flask_cors_6_origin(path)

    for origin in (ADMIN, PARTNER):
        response = client.get(path, headers={"Origin": origin})
        assert response.status_code == 200
        allowed = response.headers.get("Access-Control-Allow-Origin") == origin
        assert allowed is (origin == expected), origin


@pytest.mark.re2
@pytest.mark.parametrize(
    ("pattern", "path", "covered"),
    [
        (r"/api/(a|b/)+", "/api/b/x", False),
        (r"/api/(a|b/)+", "/api/a", True),
        (r"/api/(a|b/)+", "/api/b/b/", True),
        (r"/api/(a|b/)+", "/api/b/a/x", True),
        (r"/api/(v1|v2)/", "/api/v1/x", True),
        (r"/api/.*", "/api", True),
        (r"/api/.*", "/apiary", False),
    ],
)
def test_resource_boundary_rule_is_the_same_on_both_engines(
    pattern, path, covered, monkeypatch
) -> None:
    monkeypatch.setattr("flask_cors._regex.is_linear", lambda text, flags=0: True)
    on_re = path_matcher(pattern)  # judged cheap: runs on re
    monkeypatch.setattr("flask_cors._regex.is_linear", lambda text, flags=0: False)
    on_re2 = path_matcher(pattern)  # judged costly: runs on RE2

    assert isinstance(on_re, re.Pattern)
    assert not isinstance(on_re2, re.Pattern)
    assert bool(on_re.match(path)) is covered
    assert bool(on_re2.match(path)) is covered
