"""Property and example tests for pipeline.textnorm.normalize_text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.textnorm import normalize_text

# Whitespace the normaliser may rewrite: newlines and the "odd" spaces.
ODD = ("\n\t\r\f\v\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
       + "\u2028\u2029\u202f\u205f\u3000")

texts = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(ODD + " .:\n")), max_size=300)
plain_texts = st.text(alphabet=st.characters(exclude_characters=ODD),
                      max_size=300)
line_texts = st.lists(st.text(alphabet=st.sampled_from("ab .!?:\t\u00a0"), max_size=80),
                      max_size=8).map("\n".join)


@given(texts)
def test_length_preserved(text):
    assert len(normalize_text(text)) == len(text)


@given(st.one_of(texts, line_texts))
def test_non_whitespace_unchanged_in_place(text):
    out = normalize_text(text)
    for i, (before, after) in enumerate(zip(text, out)):
        if not before.isspace():
            assert after == before, i
        else:
            assert after in (before, " "), i


@given(plain_texts)
def test_plain_text_unchanged(text):
    assert normalize_text(text) == text


@given(line_texts, st.integers(min_value=0, max_value=100))
def test_heading_threshold_keeps_length(text, limit):
    assert len(normalize_text(text, heading_max_chars=limit)) == len(text)


def test_wrapped_sentence_newline_becomes_space():
    text = ("Colombian police said on Monday that an attack on a military base near\n"
            "Cúcuta killed three soldiers.")
    assert normalize_text(text) == text.replace("\n", " ")


def test_title_line_newline_kept_and_paragraph_breaks_kept():
    text = ("Attack kills three soldiers\n"
            "Colombian police said on Monday that an attack on a military base near\n"
            "Cúcuta killed three soldiers.\n"
            "\n"
            "The ELN claimed responsibility.\u00a0Officials\tsaid.")
    expected = ("Attack kills three soldiers\n"
                "Colombian police said on Monday that an attack on a military base near "
                "Cúcuta killed three soldiers.\n"
                "\n"
                "The ELN claimed responsibility. Officials said.")
    assert normalize_text(text) == expected
