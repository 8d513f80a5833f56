"""Linguistic base: en_core_web_sm 3.8.0 plus two small components around it.

``secrel_linebreaks`` runs before the parser and starts a sentence after every newline that
survived normalisation (titles, bylines, paragraph breaks). ``secrel_stash_base_ents`` runs
after the base NER and moves its OntoNotes entities to ``doc.spans["base_ents"]`` so they are
evidence for later stages instead of final output. ``secrel_headline_parse`` re-parses
title-case sentences (headlines) with their capitalised words lower-cased, because the small
English model reads "Uruguay Police Smuggled Weapons to Brazil" as one long proper name.
"""

from __future__ import annotations

from typing import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

BASE_ENTS_KEY = "base_ents"
HEADLINES_KEY = "headlines"
# words that title-case styles (AP, Chicago) often leave lower-case
TITLE_CASE_LOWER = frozenset({"with", "from", "into", "onto", "over", "upon", "than", "amid", "near", "like",
                              "that", "after", "about", "before", "under", "between", "against", "during",
                              "without", "within", "through", "toward", "towards", "across", "despite"})


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


@Language.factory(
    "secrel_headline_parse",
    requires=["token.dep", "token.tag", "doc.sents"],
    assigns=["token.dep", "token.head", "token.tag", "token.pos", "token.lemma", "token.morph", "doc.spans"],
    default_config={"min_words": 4, "min_title_ratio": 0.85, "max_tokens": 40,
                    "components": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]},
)
def make_headline_parse(nlp: Language, name: str, min_words: int, min_title_ratio: float, max_tokens: int,
                        components: list[str]) -> "HeadlineParse":
    return HeadlineParse(nlp, min_words, min_title_ratio, max_tokens, components)


class HeadlineParse:
    """Re-parse headline-style sentences from a lower-cased copy; text and offsets are unchanged.

    A sentence is a headline when it has at most ``max_tokens`` tokens and at least
    ``min_words`` alphabetic words of four letters or more (after the first), of which a share
    of at least ``min_title_ratio`` is capitalised. Title-case words after the first are
    lower-cased in the copy; all-capital acronyms (US, FARC) keep their case. Tags, lemmas,
    morphology and the dependency tree of the copy replace the sentence's own.
    """

    def __init__(self, nlp: Language, min_words: int = 4, min_title_ratio: float = 0.85, max_tokens: int = 40,
                 components: Sequence[str] = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
                 ) -> None:
        self.nlp = nlp
        self.min_words, self.min_title_ratio, self.max_tokens = min_words, min_title_ratio, max_tokens
        self.components = list(components)

    def is_headline(self, sent: Span) -> bool:
        if len(sent) > self.max_tokens:
            return False
        # title case leaves some prepositions lower-case; any other lower-case word counts against
        # ("The others were Carlos Lobo and Juving Alexander Suazo Peralta" is no headline)
        words = [t for t in sent[1:] if t.is_alpha and len(t) >= 4 and t.text not in TITLE_CASE_LOWER]
        if len(words) < self.min_words:
            return False
        return sum(1 for t in words if t.text[0].isupper()) / len(words) >= self.min_title_ratio

    def __call__(self, doc: Doc) -> Doc:
        heads = [s for s in doc.sents if self.is_headline(s)]
        for sent in heads:
            self._reparse(doc, sent)
        # later stages treat entity guesses inside headlines with care (capitals mislead the NER)
        doc.spans[HEADLINES_KEY] = [doc[s.start:s.end] for s in heads]
        return doc

    def _reparse(self, doc: Doc, sent: Span) -> None:
        toks = list(sent)
        words = [t.text if k == 0 or not t.is_title else t.text.lower() for k, t in enumerate(toks)]
        copy = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in toks])
        for name in self.components:
            if name in self.nlp.pipe_names:
                copy = self.nlp.get_pipe(name)(copy)
        for t, c in zip(toks, copy):
            t.tag_, t.pos_, t.morph = c.tag_, c.pos_, c.morph
            t.lemma_ = t.text if c.pos_ == "PROPN" else c.lemma_
        for t, c in zip(toks, copy):
            t.head = doc[sent.start + c.head.i]
            t.dep_ = c.dep_
