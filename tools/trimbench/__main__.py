"""`python -m trimbench`: the same command line as `trimbench`."""

from .cli import main

raise SystemExit(main())
