"""CLI for `tei-tools query` (placeholder until its issue lands)."""

import click

COMMANDS: list[click.Command] = []
