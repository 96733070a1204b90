"""Compatibility name of the read model: :mod:`triggergraph.readmodel` holds :class:`EvidenceIndex`."""

from .readmodel import EvidenceIndex

__all__ = ["EvidenceIndex"]
