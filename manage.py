#!/usr/bin/env python
"""Django's command-line utility; `fazhi` (fazhi/cli.py) is the same plus the domain commands."""

import sys

from fazhi.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
