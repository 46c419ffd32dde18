#!/usr/bin/env python3
"""Folio's command line: `python generate.py --help`."""

from folio.cli import run

if __name__ == "__main__":
    run()
