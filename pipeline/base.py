"""Linguistic base: en_core_web_sm 3.8.0 plus two small components around it.

``secrel_linebreaks`` runs before the parser and starts a sentence after every newline that
survived normalisation (titles, bylines, paragraph breaks). ``secrel_stash_base_ents`` runs
after the base NER and moves its OntoNotes entities to ``doc.spans["base_ents"]`` so they are
evidence for later stages instead of final output.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

BASE_ENTS_KEY = "base_ents"


@Language.factory(
    "secrel_linebreaks",
    requires=["token.text"],
    assigns=["token.is_sent_start"],
    default_config={"min_newlines": 1},
)
def make_linebreaks(nlp: Language, name: str, min_newlines: int) -> "LineBreakSentences":
    return LineBreakSentences(min_newlines)


class LineBreakSentences:
    """Force a sentence start after whitespace tokens holding ``min_newlines`` newlines."""

    def __init__(self, min_newlines: int = 1) -> None:
        self.min_newlines = min_newlines

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if tok.is_space and tok.text.count("\n") >= self.min_newlines:
                doc[tok.i + 1].is_sent_start = True
            elif tok.whitespace_ == "" and tok.text.endswith("\n"):
                doc[tok.i + 1].is_sent_start = True
        return doc


@Language.factory(
    "secrel_stash_base_ents",
    requires=["doc.ents"],
    assigns=["doc.spans", "doc.ents"],
    default_config={"spans_key": BASE_ENTS_KEY},
)
def make_stash(nlp: Language, name: str, spans_key: str) -> "StashBaseEnts":
    return StashBaseEnts(spans_key)


class StashBaseEnts:
    """Move the base model's entities out of ``doc.ents`` into a span group."""

    def __init__(self, spans_key: str = BASE_ENTS_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = list(doc.ents)
        doc.ents = []
        return doc
