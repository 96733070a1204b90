"""The benchmark's server app: the real ``api.main`` app plus a constant route as framework floor.

The trivial route lives here, not in the product: it answers from the same process, loop,
middleware and HTTP stack as the real routes, so their latency ratio shows what our own code
costs on top of FastAPI and uvicorn.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from fastapi import Response  # noqa: E402

from api.main import create_app  # noqa: E402

TRIVIAL_PATH = "/bench/trivial"
TRIVIAL_BODY = b'{"ok":true}'

app = create_app()


@app.get(TRIVIAL_PATH, include_in_schema=False)
async def read_trivial() -> Response:
    """A constant JSON body: the least work a route on this server can do."""
    return Response(content=TRIVIAL_BODY, media_type="application/json")
