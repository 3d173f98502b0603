"""``python -m madoguchi``: the same command line as the ``madoguchi`` console script."""

import sys

from madoguchi.cli import main

sys.exit(main())
