"""``python -m triggergraph.cli``: the ``triggergraph`` command."""

import sys

from triggergraph.cli import main

if __name__ == "__main__":
    sys.exit(main())
