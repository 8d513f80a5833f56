"""secrel: evidence-linked extraction of security relations between states from news text."""

__version__ = "0.1.0"
