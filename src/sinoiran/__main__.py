"""Entry point for ``python -m sinoiran``."""

from sinoiran.cli import main

raise SystemExit(main())
