"""Annotation schema v1 (see ``SCHEMA.md`` in shared/ and ``annotations/GUIDELINES.md``).

Pure data, standard library only, so annotation tools can import it without spaCy.
"""

from __future__ import annotations

SCHEMA_VERSION = "1"

ENTITY_LABELS: tuple[str, ...] = (
    "STATE",
    "ORG",
    "COMPANY",
    "ARMED_GROUP",
    "PERSON",
    "WEAPON",
    "SURVEILLANCE",
    "MONEY",
    "DATE",
    "LOC",
)

# type -> (allowed head labels, allowed tail labels)
RELATION_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "ARMS_TRANSFER": (
        frozenset({"STATE", "COMPANY", "ORG", "PERSON", "ARMED_GROUP"}),
        frozenset({"STATE", "ORG", "COMPANY", "ARMED_GROUP", "PERSON"}),
    ),
    "TRAINING": (
        frozenset({"STATE", "ORG", "COMPANY", "PERSON"}),
        frozenset({"STATE", "ORG", "ARMED_GROUP", "PERSON"}),
    ),
    "SECURITY_AID": (frozenset({"STATE", "ORG"}), frozenset({"STATE", "ORG"})),
    "ASYLUM": (frozenset({"STATE"}), frozenset({"PERSON"})),
    "EXTRADITION_REQUEST": (frozenset({"STATE", "ORG"}), frozenset({"PERSON"})),
    "RECOGNITION": (frozenset({"STATE"}), frozenset({"STATE", "ORG"})),
    "AFFILIATION": (
        frozenset({"PERSON"}),
        frozenset({"ORG", "STATE", "COMPANY", "ARMED_GROUP"}),
    ),
}

# attribute -> labels its referenced entities must carry
ATTRIBUTE_LABELS: dict[str, frozenset[str]] = {
    "item": frozenset({"WEAPON", "SURVEILLANCE"}),
    "date": frozenset({"DATE"}),
    "value": frozenset({"MONEY"}),
}


def allowed_types(head_label: str, tail_label: str) -> list[str]:
    """Relation types whose head/tail constraints admit this label pair."""
    return [
        rtype
        for rtype, (heads, tails) in RELATION_TYPES.items()
        if head_label in heads and tail_label in tails
    ]
