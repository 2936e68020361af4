import sys

from kg.cli import main

__all__: list[str] = []

sys.exit(main())
