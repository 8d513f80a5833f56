"""Relation stage: features, a scikit-learn classifier, decisions and attributes over the
candidate pairs of ``pipeline.candidates``.

``RelationClassifier.predict`` scores candidates without touching the
Doc; ``set_annotations`` applies thresholds and writes ``doc._.relations``, so thresholds can be
changed and tested without re-running the model.
"""

from __future__ import annotations

import inspect
import json
import re
import typing
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from .candidates import Candidate, candidates, source_phrase
from .frames import (acted_upon, attribution_source, compile_frames, dependency_path, destination_only,
                     hypothetical, match_frames, nationality_only, patient_types, sentence_roles)
from .records import Relation, ensure_extensions, make_attrs, span_key
from .schema import RELATION_TYPES

NONE = "NONE"
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
              "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
              "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


def parse_quantity(text: str) -> int | None:
    """Integer count at the start of an item mention ("five Arava planes" -> 5, "340,000 guns")."""
    t = text.lower().strip()
    m = re.match(r"^(\d[\d,]*)(\.\d+)?\s*(million|thousand|hundred)?\b", t)
    if m:
        try:
            val = int(m.group(1).replace(",", ""))
        except ValueError:
            return None
        return val * _SCALE.get(m.group(3) or "", 1)
    words = re.findall(r"[a-z]+", t)
    if not words:
        return None
    if " ".join(words[:2]) in _NUM_WORDS:
        return _NUM_WORDS[" ".join(words[:2])]
    total = None
    for w in words:
        if w in _NUM_WORDS:
            total = (total or 0) + _NUM_WORDS[w]
        elif w in _SCALE and total is not None:
            total *= _SCALE[w]
        elif w == "and" and total is not None:
            continue
        else:
            break
    return total


def _bucket(n: int) -> str:
    for lim, name in ((0, "0"), (2, "1-2"), (5, "3-5"), (10, "6-10"), (20, "11-20")):
        if n <= lim:
            return name
    return ">20"


def with_frames(cands: list[Candidate], frames: dict[str, dict[str, Any]]) -> list[Candidate]:
    """The candidates with their frame hits and rival frames filled in (sentence roles computed once
    per sentence)."""
    if not frames:
        return cands
    tables: dict[int, Any] = {}
    out = []
    for c in cands:
        if c.sent.start not in tables:
            tables[c.sent.start] = sentence_roles(c.sent, frames)
        hits = match_frames(c.head, c.tail, tables[c.sent.start], frames, c.types)
        patient = patient_types(c.head, tables[c.sent.start], c.types)
        out.append(replace(c, frames=tuple(sorted(hits)), head_patient=tuple(sorted(patient))) if hits or patient else c)
    # a frame that ties the head (or the tail) to another entity is evidence against this pair
    # ("X, president of Bolivia, and Y, president of Venezuela": X's post is in Bolivia)
    by_head: dict[int, set[tuple[str, int]]] = {}
    by_tail: dict[int, set[tuple[str, int]]] = {}
    for c in out:
        for r in c.frames:
            by_head.setdefault(c.head.start, set()).add((r, c.tail.start))
            by_tail.setdefault(c.tail.start, set()).add((r, c.head.start))
    final = []
    for c in out:
        rivals = {r for r, t in by_head.get(c.head.start, ()) if t != c.tail.start and r not in c.frames}
        rivals |= {r for r, h in by_tail.get(c.tail.start, ()) if h != c.head.start and r not in c.frames}
        rivals &= set(c.types)
        final.append(replace(c, rivals=tuple(sorted(rivals))) if rivals else c)
    return final


def featurize(cand: Candidate, triggers: dict[str, list[str]], negation_cues: Sequence[str]) -> dict[str, float]:
    """Sparse features of one candidate (pure function of the annotated Doc)."""
    h, t, sent = cand.head, cand.tail, cand.sent
    doc = h.doc
    f: dict[str, float] = {f"pair={h.label_}>{t.label_}": 1.0, f"hl={h.label_}": 1.0, f"tl={t.label_}": 1.0,
                           "order=" + ("ht" if h.start < t.start else "th"): 1.0}
    lo, hi = (h.end, t.start) if h.start < t.start else (t.end, h.start)
    between = [tok for tok in doc[lo:hi] if not tok.is_space]
    f["dist=" + _bucket(len(between))] = 1.0
    n_ents_between = sum(1 for e in doc.ents if e.start >= lo and e.end <= hi)
    f["ents_btw=" + _bucket(n_ents_between)] = 1.0
    for tok in between[:20]:
        if not tok.is_punct:
            f["btw=" + tok.lemma_.lower()] = 1.0
    lemmas_sent = {tok.lemma_.lower() for tok in sent}
    lemmas_btw = {tok.lemma_.lower() for tok in between}
    for rtype, words in triggers.items():
        hits = lemmas_sent.intersection(words)
        if hits:
            f[f"trig_sent={rtype}"] = 1.0
            for w in hits:
                f["tlem=" + w] = 1.0
        if lemmas_btw.intersection(words):
            f[f"trig_btw={rtype}"] = 1.0
    path = dependency_path(h.root, t.root)
    if path:
        f["path=" + " ".join(d for d, _ in path)] = 1.0
        f["plen=" + _bucket(len(path))] = 1.0
        for d, tok in path[1:-1]:
            f["plem=" + tok.lemma_.lower()] = 1.0
            f["pdep=" + d] = 1.0
        lca = next(tok for d, tok in path if d == "lca")
        f["lca=" + lca.lemma_.lower()] = 1.0
        f["lca_pos=" + lca.pos_] = 1.0
        # type-level evidence that generalises across documents: a trigger of the type on the
        # dependency path or governing the pair, and the syntactic roles of head and tail
        path_lemmas = {tok.lemma_.lower() for _, tok in path[1:-1]}
        near = {tok.lemma_.lower() for tok in (h.root.head, t.root.head, lca)}
        for rtype, words in triggers.items():
            if path_lemmas.intersection(words):
                f[f"trig_path={rtype}"] = 1.0
            if near.intersection(words):
                f[f"trig_near={rtype}"] = 1.0
        up = [d for d, _ in path if d.startswith("^")]
        down = [d for d, _ in path if d.startswith("v")]
        f["h_role=" + (up[0] if up else "lca")] = 1.0
        f["t_role=" + (down[-1] if down else "lca")] = 1.0
        f["shape=" + f"{len(up)}-{len(down)}"] = 1.0
    for rtype in cand.frames:
        f["frame=" + rtype] = 1.0
    for rtype in cand.rivals:
        f["rival=" + rtype] = 1.0
    f["hdep=" + h.root.dep_] = 1.0
    f["tdep=" + t.root.dep_] = 1.0
    f["hhead=" + h.root.head.lemma_.lower()] = 1.0
    f["thead=" + t.root.head.lemma_.lower()] = 1.0
    if h.start > 0:
        f["hprev=" + doc[h.start - 1].lemma_.lower()] = 1.0
    if t.start > 0:
        f["tprev=" + doc[t.start - 1].lemma_.lower()] = 1.0
    if lemmas_sent.intersection(negation_cues):
        f["neg_sent"] = 1.0
    if lemmas_btw.intersection(negation_cues):
        f["neg_btw"] = 1.0
    base = doc.spans["base_ents"] if "base_ents" in doc.spans else []
    for role, span in (("h", h), ("t", t)):
        for b in base:
            if b.start < span.end and span.start < b.end:
                f[f"{role}base={b.label_}"] = 1.0
                break
    return f


TARGET_DOMAIN, SOURCE_DOMAIN = "tgt", "src"


def augment(feats: dict[str, float], domain: str) -> dict[str, float]:
    """Daume (2007) feature augmentation: every feature plus a copy tagged with its domain.

    The shared copy learns what both domains say alike; the tagged copies learn what differs
    (how crime news and essays phrase relations), so extra text from another domain cannot pull
    the target domain's weights toward its own habits.
    """
    out = dict(feats)
    out.update({f"{domain}|{k}": v for k, v in feats.items()})
    return out


class RelationModel:
    """Two logistic regressions over candidate features, saved with skops.

    ``strategy="two_stage"``: a binary model decides *whether* a pair is related (it pools the
    positives of every type, so it learns from all of them) and a multiclass model trained on
    the related pairs only decides *which* type; P(type) = P(related) * P(type | related).
    ``strategy="multiclass"``: one model over the types plus ``NONE``.
    """

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced", seed: int = 0,
                 strategy: str = "multiclass") -> None:
        if strategy not in ("two_stage", "multiclass"):
            raise ValueError(f"unknown relation model strategy {strategy!r}")
        self.C, self.class_weight, self.seed, self.strategy = C, class_weight, seed, strategy
        # trained on domain-augmented features (augment): predictions augment as the target domain
        self.domain_adapted = False
        self.pipelines: dict[str, Any] = {}
        self.fitted = False

    def _pipeline(self) -> Any:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline

        return Pipeline([("vec", DictVectorizer(sparse=True)),
                         ("clf", LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000,
                                                    random_state=self.seed))])

    def fit(self, X: list[dict[str, float]], y: list[str]) -> "RelationModel":
        if len(set(y)) < 2 or NONE not in y:
            raise ValueError("relation training data needs at least one relation and one non-relation")
        if self.strategy == "multiclass":
            self.pipelines = {"multiclass": self._pipeline().fit(X, y)}
        else:
            self.pipelines = {"related": self._pipeline().fit(X, [lab != NONE for lab in y])}
            pos = [(x, lab) for x, lab in zip(X, y) if lab != NONE]
            types = sorted({lab for _, lab in pos})
            if len(types) > 1:
                self.pipelines["type"] = self._pipeline().fit([x for x, _ in pos], [lab for _, lab in pos])
            else:
                self.single_type = types[0]
        self.fitted = True
        return self

    def predict_proba(self, X: list[dict[str, float]]) -> list[dict[str, float]]:
        if not X:
            return []
        if "multiclass" in self.pipelines:
            pipe = self.pipelines["multiclass"]
            return [dict(zip(map(str, pipe.classes_), map(float, row))) for row in pipe.predict_proba(X)]
        rel = self.pipelines["related"]
        k = list(rel.classes_).index(True)
        p_rel = rel.predict_proba(X)[:, k]
        out = []
        if "type" in self.pipelines:
            tp = self.pipelines["type"]
            classes = list(map(str, tp.classes_))
            for pr, row in zip(p_rel, tp.predict_proba(X)):
                d = {c: float(pr * q) for c, q in zip(classes, row)}
                d[NONE] = float(1 - pr)
                out.append(d)
        else:
            out = [{self.single_type: float(pr), NONE: float(1 - pr)} for pr in p_rel]
        return out

    def to_disk(self, path: Path) -> None:
        import skops.io as sio

        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump({"strategy": self.strategy, "pipelines": self.pipelines,
                  "single_type": getattr(self, "single_type", None),
                  "domain_adapted": self.domain_adapted}, path)

    @classmethod
    def from_disk(cls, path: Path) -> "RelationModel":
        import skops.io as sio

        untrusted = sio.get_untrusted_types(file=path)
        allowed = [t for t in untrusted if t.startswith(("sklearn.", "numpy.", "scipy."))]
        bad = sorted(set(untrusted) - set(allowed))
        if bad:
            raise ValueError(f"{path}: refusing to load untrusted types {bad}")
        state = sio.load(path, trusted=allowed)
        model = cls(strategy=state["strategy"])
        model.pipelines = state["pipelines"]
        if state.get("single_type"):
            model.single_type = state["single_type"]
        model.domain_adapted = bool(state.get("domain_adapted", False))
        model.fitted = True
        return model


class RelationClassifier:
    """spaCy component scoring candidates with a :class:`RelationModel`."""

    def __init__(self, threshold: float = 0.5, thresholds: dict[str, float] | None = None, max_distance: int = 80,
                 triggers: dict[str, list[str]] | None = None, negation_cues: Sequence[str] = (),
                 attribute_types: dict[str, list[str]] | None = None, propagate_conjuncts: bool = True,
                 frames: dict[str, dict[str, Any]] | None = None,
                 frame_floor: float = 0.0, frame_floor_types: Sequence[str] | None = None,
                 type_negation_cues: dict[str, Sequence[str]] | None = None,
                 frame_fixes_type: bool = False, frame_fixes_roles: bool = False,
                 plan_words: Sequence[str] = (), modal_cues: Sequence[str] = (),
                 agentless_roles: bool = False, one_post: bool = False, alias_cues: Sequence[str] = (),
                 frame_claims_tail: bool = False, source_preps: Sequence[str] = ()) -> None:
        unknown = set(thresholds or {}) - set(RELATION_TYPES)
        if unknown:
            raise ValueError(f"thresholds for unknown relation types: {sorted(unknown)}")
        self.threshold = threshold
        self.thresholds = dict(thresholds or {})
        self.max_distance = max_distance
        # a name and its alias are one entity, never a pair (same_referent)
        self.alias_cues = tuple(alias_cues)
        # a cited source ("according to X") is no party to its sentence's relations (source_phrase)
        self.source_preps = tuple(source_preps)
        self.triggers = {k: list(v) for k, v in (triggers or {}).items()}
        self.negation_cues = list(negation_cues)
        # cues that negate one type only: "broke off diplomatic relations" ends a recognition,
        # while "broke" says nothing of an arms sale
        unknown = set(type_negation_cues or {}) - set(RELATION_TYPES)
        if unknown:
            raise ValueError(f"type_negation_cues for unknown relation types: {sorted(unknown)}")
        self.type_negation_cues = {k: frozenset(v) for k, v in (type_negation_cues or {}).items()}
        if attribute_types is None:
            attribute_types = {"item": ["ARMS_TRANSFER", "TRAINING"], "value": ["ARMS_TRANSFER", "SECURITY_AID"]}
        self.attribute_types = {k: list(v) for k, v in attribute_types.items()}
        self.propagate_conjuncts = propagate_conjuncts
        self.frames = compile_frames(frames or {})
        # a candidate that fills a frame of a type gets at least this probability for it
        # (0 = frames are features only)
        self.frame_floor = frame_floor
        # the types the floor applies to (None = every type with a frame); the others' frames are
        # classifier features only
        self.floor_types = None if frame_floor_types is None else set(frame_floor_types)
        # a pair that fills a floored frame takes one of the frame's types, not another type the
        # classifier prefers ("provided $1 billion in aid to Colombia" is aid, not an arms transfer)
        self.frame_fixes_type = frame_fixes_type
        self.frame_fixes_roles = frame_fixes_roles
        # with frame_fixes_roles, the patient of an agentless frame is no head of its type either
        self.agentless_roles = agentless_roles
        # a person with a title frame to one state is no member of another state in that sentence
        # (_posted_elsewhere)
        self.one_post = one_post
        # a frame's tail takes no other head of that type outside the frame (_claimed_elsewhere)
        self.frame_claims_tail = frame_claims_tail
        # SCHEMA: merely planned or possible acts are not relations (frames.hypothetical)
        self.plan_words = frozenset(plan_words)
        self.modal_cues = frozenset(modal_cues)
        self.model: RelationModel | None = None

    # -- model ---------------------------------------------------------------------------------
    def features(self, cand: Candidate) -> dict[str, float]:
        return featurize(cand, self.triggers, self.negation_cues)

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Schema-admissible pairs of ``doc`` with their frame hits (for training and prediction)."""
        return with_frames(candidates(doc, self.max_distance, self.alias_cues), self.frames)

    def predict(self, docs: Iterable[Doc]) -> list[list[tuple[Candidate, dict[str, float]]]]:
        """Score every candidate of every doc; pure (no Doc mutation)."""
        if self.model is None:
            raise RuntimeError("secrel_relations has no model: train it or load it with from_disk")
        out = []
        for doc in docs:
            cands = self.candidates(doc)
            X = [self.features(c) for c in cands]
            if getattr(self.model, "domain_adapted", False):
                X = [augment(x, TARGET_DOMAIN) for x in X]
            probs = self.model.predict_proba(X)
            out.append(list(zip(cands, probs)))
        return out

    def decide(self, scored: list[tuple[Candidate, dict[str, float]]]) -> list[tuple[Candidate, str, float]]:
        """Thresholded decisions: best admissible type per candidate, one direction per pair/type."""
        best: dict[tuple[str, frozenset], tuple[Candidate, str, float]] = {}
        # a frame fixes the direction: the reverse pair of a frame hit is not that relation
        framed = {(span_key(c.head), span_key(c.tail), r) for c, _ in scored for r in c.frames}
        # a frame fixes the roles too: an entity that only fills a frame's tail role ("trained forces
        # in Guatemala and Haiti") is no head of that type elsewhere in the sentence, and one that
        # only fills its head role is no tail
        as_head = {(h, r) for h, _, r in framed}
        as_tail = {(t, r) for _, t, r in framed}
        # the heads each frame tail was found with: another head of that type for the same tail must
        # be one of them, their conjunct or their modifier (_claimed_elsewhere)
        claimed: dict[tuple[Any, str], list[Span]] = {}
        if self.frame_claims_tail:
            for c, _ in scored:
                for r in c.frames:
                    claimed.setdefault((span_key(c.tail), r), []).append(c.head)
        # states named by each person's title frames: "X, president of Venezuela" holds that post,
        # not one elsewhere
        posts: dict[Any, list[Span]] = {}
        if self.one_post:
            for c, _ in scored:
                if "AFFILIATION" in c.frames and c.tail.label_ == "STATE":
                    posts.setdefault(span_key(c.head), []).append(c.tail)
        # the "according to" phrase holding each entity (None: outside any); computed once per entity
        cited: dict[Any, int | None] = {}
        if self.source_preps:
            for c, _ in scored:
                for span in (c.head, c.tail):
                    if span_key(span) not in cited:
                        cited[span_key(span)] = source_phrase(span, self.source_preps)
        for cand, probs in scored:
            if cited and cited[span_key(cand.head)] != cited[span_key(cand.tail)]:
                continue  # a cited source and an entity outside its phrase
            floored = [r for r in cand.frames if self.floor_types is None or r in self.floor_types]
            if self.frame_floor > 0 and floored:
                probs = {**probs, **{r: max(probs.get(r, 0.0), self.frame_floor) for r in floored}}
            types = [r for r in cand.types if r in cand.frames
                     or (span_key(cand.tail), span_key(cand.head), r) not in framed]
            if self.frame_fixes_roles:
                hk, tk = span_key(cand.head), span_key(cand.tail)
                types = [r for r in types if r in cand.frames or not (
                    ((hk, r) in as_tail and (hk, r) not in as_head) or ((tk, r) in as_head and (tk, r) not in as_tail)
                    or (self.agentless_roles and r in cand.head_patient and (hk, r) not in as_head))]
            if claimed:
                types = [r for r in types if r in cand.frames
                         or not self._claimed_elsewhere(cand, claimed.get((span_key(cand.tail), r), ()))]
            if "AFFILIATION" in types and (self._vetoed(cand, "AFFILIATION") or (
                    self.one_post and "AFFILIATION" not in cand.frames and self._posted_elsewhere(cand, posts))):
                types.remove("AFFILIATION")
            if (self.plan_words or self.modal_cues) and any(r != "AFFILIATION" for r in types) and \
                    hypothetical(cand.head, cand.tail, self.plan_words, self.modal_cues):
                types = [r for r in types if r == "AFFILIATION"]
            if self.frame_fixes_type and self.frame_floor > 0 and floored:
                types = [r for r in types if r in floored] or types
            if not types:
                continue
            rtype, p = max(((r, probs.get(r, 0.0)) for r in types), key=lambda x: (x[1], x[0]))
            if p < self.thresholds.get(rtype, self.threshold):
                continue
            key = (rtype, frozenset({span_key(cand.head), span_key(cand.tail)}))
            if key not in best or p > best[key][2]:
                best[key] = (cand, rtype, p)
        if self.propagate_conjuncts:
            self._propagate(scored, best)
        return sorted(best.values(), key=lambda x: (x[0].head.start, x[0].tail.start, x[1]))

    @staticmethod
    def _claimed_elsewhere(cand: Candidate, heads: Sequence[Span]) -> bool:
        """Does a frame give the candidate's tail another head of this type, one the candidate's
        head is neither part of nor coordinated with? "Chavarria noted that Mexican groups are arming
        Costa Rican gangs": the frame's agent is Mexico, not the speaker."""
        if not heads:
            return False
        root = cand.head.root
        for other in heads:
            o = other.root
            if o.i == root.i or o in root.conjuncts or root in o.conjuncts \
                    or o.is_ancestor(root) or root.is_ancestor(o):
                return False
        return True

    @staticmethod
    def _posted_elsewhere(cand: Candidate, posts: dict[Any, list[Span]]) -> bool:
        """Does a title frame tie the person to another state in this sentence ("unlike Evo
        Morales, president of Bolivia, and Hugo Chavez, president of Venezuela": Chavez holds no
        post in Bolivia)? ``posts`` holds each person's title-frame states."""
        # states only: organisations nest ("head of the Economic Crimes Unit of Paraguay's national
        # police") and people lead several ("head of the Rastrojos and leader of the Norte del Valle Cartel")
        tail = cand.tail
        return tail.label_ == "STATE" and any(
            span_key(o) != span_key(tail) and not (o.kb_id_ and o.kb_id_ == tail.kb_id_)
            for o in posts.get(span_key(cand.head), ()))

    def _vetoed(self, cand: Candidate, rtype: str) -> bool:
        """Is ``rtype`` ruled out for the pair by syntax? Only AFFILIATION has vetoes, and a title
        frame tying the pair overrides them."""
        return rtype == "AFFILIATION" and rtype not in cand.frames and self._not_a_member(cand)

    def _not_a_member(self, cand: Candidate) -> bool:
        """Syntax that rules AFFILIATION out: the tail is an ORG cited as a source, the person is
        acted upon by the tail or coordinated with it, or the tail is a STATE that only qualifies
        something else (frames.attribution_source, frames.acted_upon, frames.nationality_only)."""
        spec = self.frames.get("AFFILIATION", {})
        verbs = spec.get("source_verbs")
        if verbs and cand.tail.label_ == "ORG" and attribution_source(cand.tail, verbs):
            return True
        members = spec.get("member_verbs")
        if members is not None and acted_upon(cand.head, cand.tail, members):
            return True
        if spec.get("destination_veto") and destination_only(cand.head, cand.tail, members or ()):
            return True
        limit = spec.get("max_path")
        if limit is not None and len(dependency_path(cand.head.root, cand.tail.root)) - 1 > int(limit):
            return True
        private = spec.get("private_roles")
        return private is not None and cand.tail.label_ == "STATE" and nationality_only(cand.tail, cand.head, private)

    @staticmethod
    def _conjuncts(span: Span) -> set[int]:
        """Token indices of the span's syntactic conjuncts ("Argentina, Bolivia and Ecuador")."""
        return {t.i for t in span.root.conjuncts}

    def _propagate(self, scored: list[tuple[Candidate, dict[str, float]]],
                   best: dict[tuple[str, frozenset], tuple[Candidate, str, float]]) -> None:
        """A relation holding for one member of a coordination holds for its conjuncts of the same label
        (the schema annotates one relation per head/tail pair when a sentence lists several)."""
        by_pair = {(span_key(c.head), span_key(c.tail)): c for c, _ in scored}
        for cand, rtype, p in list(best.values()):
            for role in ("head", "tail"):
                anchor = getattr(cand, role)
                conj = self._conjuncts(anchor)
                if not conj:
                    continue
                for other in anchor.doc.ents:
                    if other.label_ != anchor.label_ or other.root.i not in conj:
                        continue
                    pair = (span_key(other), span_key(cand.tail)) if role == "head" else \
                        (span_key(cand.head), span_key(other))
                    new = by_pair.get(pair)
                    # a conjunct with its own frame of the type is not covered ("X, president of
                    # Bolivia, and Y, president of Venezuela": Y's post is in Venezuela)
                    if new is None or rtype not in new.types or rtype in new.rivals:
                        continue
                    # the vetoes hold for a propagated pair as for a scored one ("The court indicted
                    # Pedro Gomez and Juan Diaz": neither is a member of the court)
                    if self._vetoed(new, rtype):
                        continue
                    key = (rtype, frozenset(pair))
                    if key not in best:
                        best[key] = (new, rtype, p)

    def attributes(self, cand: Candidate, rtype: str) -> tuple[tuple[str, Any], ...]:
        sent = cand.sent
        doc = sent.doc
        in_sent = [e for e in doc.ents if e.start >= sent.start and e.end <= sent.end]
        mid = (cand.head.start + cand.tail.start) / 2

        def nearest(label: str) -> Span | None:
            opts = [e for e in in_sent if e.label_ == label]
            return min(opts, key=lambda e: (abs(e.start - mid), e.start)) if opts else None

        items = [e for e in in_sent if e.label_ in ("WEAPON", "SURVEILLANCE")] \
            if rtype in self.attribute_types.get("item", []) else []
        # "date" lists the types a DATE anchors (absent: every type); a post is rarely dated
        date = nearest("DATE") if rtype in self.attribute_types.get("date", RELATION_TYPES) else None
        value = nearest("MONEY") if rtype in self.attribute_types.get("value", []) else None
        quantity = next((q for q in (parse_quantity(e.text) for e in items) if q is not None), None)
        lo = max(sent.start, min(cand.head.start, cand.tail.start) - 6)
        hi = min(sent.end, max(cand.head.end, cand.tail.end) + 3)
        cues = set(self.negation_cues) | self.type_negation_cues.get(rtype, frozenset())
        negated = any(tok.lemma_.lower() in cues or tok.dep_ == "neg" for tok in doc[lo:hi])
        return make_attrs(item=[span_key(e) for e in items], date=span_key(date) if date else None,
                          value=span_key(value) if value else None, quantity=quantity, negated=negated,
                          evidence=(sent.start_char, sent.end_char))

    def set_annotations(self, docs: Iterable[Doc], scores: list[list[tuple[Candidate, dict[str, float]]]]) -> None:
        ensure_extensions()
        for doc, scored in zip(docs, scores):
            doc._.relations = [
                Relation(span_key(c.head), span_key(c.tail), rtype, round(p, 6), self.attributes(c, rtype))
                for c, rtype, p in self.decide(scored)
            ]

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # -- serialisation -------------------------------------------------------------------------
    def to_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.to_disk(path / "model.skops")
        # the (possibly tuned) decision threshold travels with the model
        (path / "decision.json").write_text(json.dumps({"threshold": self.threshold}) + "\n", encoding="utf-8")

    def from_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> "RelationClassifier":
        path = Path(path)
        if not (path / "model.skops").exists():
            raise FileNotFoundError(f"no relation model at {path / 'model.skops'}")
        self.model = RelationModel.from_disk(path / "model.skops")
        decision = path / "decision.json"
        if decision.exists():
            self.threshold = float(json.loads(decision.read_text(encoding="utf-8"))["threshold"])
        return self


def component_settings(cls: type) -> list[inspect.Parameter]:
    """The keyword settings of ``cls.__init__``, following ``**kwargs`` up to the parent's."""
    out: list[inspect.Parameter] = []
    for klass in cls.__mro__:
        if "__init__" not in vars(klass) or klass is object:
            continue
        params = list(inspect.signature(klass.__init__).parameters.values())[1:]
        # resolved types, not the strings of postponed annotations: spaCy validates against them
        hints = typing.get_type_hints(klass.__init__)
        out += [p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(p.name, Any)) for p in params
                if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name not in {q.name for q in out}]
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            break
    return out


def takes_settings_of(cls: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a ``(nlp, name, **settings)`` factory the keyword signature of ``cls.__init__``.

    spaCy validates a component's config against its factory's signature; deriving that
    signature from the component keeps every setting declared once, in ``__init__``, instead of
    repeated in each factory.
    """
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        head = list(inspect.signature(fn).parameters.values())[:2]  # nlp, name
        settings = component_settings(cls)
        fn.__signature__ = inspect.Signature(head + settings)  # type: ignore[attr-defined]
        fn.__annotations__ = {**typing.get_type_hints(fn), **{p.name: p.annotation for p in settings}}
        fn.__annotations__.pop("settings", None)
        return fn
    return deco


def plain_config_value(value: Any) -> Any:
    """Config sections and tuples as plain dicts and lists (what the factories validate)."""
    if isinstance(value, dict):
        return {k: plain_config_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_config_value(v) for v in value]
    return value


@Language.factory(
    "secrel_relations",
    requires=["doc.ents", "token.dep", "token.lemma", "doc.sents"],
    assigns=["doc._.relations"],
    default_config={**{p.name: plain_config_value(p.default) for p in component_settings(RelationClassifier)},
                    "thresholds": {}, "triggers": {}, "frames": {},
                    "negation_cues": ["not", "never", "no", "refuse", "halt", "suspend", "deny", "stop",
                                      "cease", "cut", "reject", "decline", "ban", "block", "withdraw"],
                    "type_negation_cues": {},
                    "attribute_types": {"item": ["ARMS_TRANSFER", "TRAINING"],
                                        "value": ["ARMS_TRANSFER", "SECURITY_AID"]}},
)
@takes_settings_of(RelationClassifier)
def make_relations(nlp: Language, name: str, **settings: Any) -> RelationClassifier:
    return RelationClassifier(**settings)
