#!/usr/bin/env python3
"""Folio's command line: `python generate.py --help`."""

import sys

from folio.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
