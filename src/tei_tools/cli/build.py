"""CLI for `tei-tools build` (placeholder until its issue lands)."""

import click

COMMANDS: list[click.Command] = []
