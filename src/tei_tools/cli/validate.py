"""CLI for `tei-tools validate` (placeholder until its issue lands)."""

import click

COMMANDS: list[click.Command] = []
