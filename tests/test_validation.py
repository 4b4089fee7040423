"""The models' patterns are Java regular expressions; they are read faithfully, or not
enforced at all (never enforced wrongly)."""

from __future__ import annotations

import pytest
from botocore.loaders import create_loader

from stubaws.validation import compile_pattern


@pytest.mark.parametrize(
    "pattern, accepted, refused",
    [
        (r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*", ["Zürich 東京", "a_b.c:d/e=f+g-h@i"], ["a|b", "tab\there"]),
        (r"[\P{M}\p{M}]{0,5}", ["é", "abc"], ["abcdef"]),  # a negated class inside a class
        (r"[\w- ]*", ["a-b c"], ["a!"]),  # Java reads '-' after \w as itself
        (r"[a-zA-Z\d-_/]+", ["a1-_/"], ["a b"]),
        (r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]+", ["x😀"], ["\x07"]),  # UTF-16 pairs
        (r"[^\p{C}\p{IsWhitespace}]+", ["no-spaces"], ["two words"]),
        (r"[\u0020-\u00FF]+", ["café"], ["ā"]),
        # \w, \d, \s and \b are ASCII in Java; (?i) folds ASCII letters only
        (r"[\w+=,.@-]+", ["admin_1"], ["名前", "ａｄｍｉｎ", "café"]),
        (r"\d{3}", ["123"], ["١٢٣", "１２３", "12³"]),
        (r"a\sb", ["a b", "a\tb"], ["a\u3000b", "a\u00a0b", "a\u2028b"]),
        (r"\bé", [], ["é"]),  # no word boundary between the start and 'é', which is no \w
        (r"(?i)kelvin", ["KELVIN"], ["\u212aelvin"]),  # the Kelvin sign folds to 'k' only in Unicode
        # Java's \v and \h, which Python's re does not know
        (r"[\P{C}\v]*", ["a\x85b\u2028"], ["\x07"]),
        (r"\h+", [" \t\u00a0\u3000"], ["\n"]),
    ],
)
def test_java_patterns_mean_in_python_what_they_mean_in_java(pattern, accepted, refused):
    compiled = compile_pattern(pattern)
    assert compiled is not None
    for value in accepted:
        assert compiled.fullmatch(value), value
    for value in refused:
        assert not compiled.fullmatch(value), value


def test_nearly_every_pattern_in_botocores_models_is_enforced():
    loader = create_loader()
    patterns = {
        shape["pattern"]
        for service in loader.list_available_services("service-2")
        for shape in loader.load_service_model(service, "service-2")["shapes"].values()
        if "pattern" in shape
    }
    unread = sorted(p for p in patterns if compile_pattern(p) is None)
    # The few left are not regular expressions Python can hold (inline flags mid-pattern,
    # quantified anchors such as '$' + '{1,128}'); they are not enforced rather than misread.
    assert len(unread) <= 15, unread
