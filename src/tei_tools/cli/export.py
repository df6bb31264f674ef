"""CLI for `tei-tools export` (placeholder until its issue lands)."""

import click

COMMANDS: list[click.Command] = []
