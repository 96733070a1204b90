"""Client SPARQL: capped worker processes, admission control and the service description."""

from __future__ import annotations

from triggergraph.sparql.description import service_description
from triggergraph.sparql.pool import PoolLimits, QueryPool

__all__ = ["PoolLimits", "QueryPool", "service_description"]
