"""Length-preserving text normalisation.

The models see a normalised copy of the text in which PDF-style line breaks inside a paragraph
and odd whitespace are turned into plain spaces. Every replacement is one character for one
character, so every offset computed on the normalised text is valid on the original: output
records always carry the original text.
"""

from __future__ import annotations

import re

_ODD_SPACE = re.compile(r"[\t\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_TERMINAL = tuple(".!?:;\"”’)]")


def normalize_text(text: str, heading_max_chars: int = 60) -> str:
    """Return ``text`` with in-paragraph line breaks and odd spaces replaced, same length.

    A single newline is kept (it ends a sentence) when the line before it is short and has no
    terminal punctuation (a title, byline or heading) or when either line is blank; otherwise it
    becomes a space, so a sentence wrapped over several lines is one sentence.
    """
    out = _ODD_SPACE.sub(" ", text)
    if "\n" not in out:
        return out
    chars = list(out)
    lines = out.split("\n")
    pos = 0
    for k in range(len(lines) - 1):
        line, nxt = lines[k], lines[k + 1]
        pos += len(line)  # pos is now the index of this newline
        stripped = line.strip()
        is_heading = len(stripped) <= heading_max_chars and not stripped.endswith(_TERMINAL)
        if stripped and nxt.strip() and not is_heading:
            chars[pos] = " "
        pos += 1
    result = "".join(chars)
    assert len(result) == len(text)
    return result
