"""The `archive-search` command: thin click commands over the indexer's functions."""

from __future__ import annotations

import json
import sys

import click

from .authority import AuthorityError
from .ingest import IngestResult, ingest


def _ingest_or_fail(sources: tuple[str, ...]) -> IngestResult:
    try:
        return ingest(sources)
    except AuthorityError as error:
        raise click.ClickException(f"the person authority file is broken: {error}") from error


def report_problems(result: IngestResult, strict: bool) -> None:
    """Every problem on stderr, one line each, then the one-line summary."""
    for problem in result.report.problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo(result.report.summary(), err=True)
    if strict and result.report.problems:
        raise click.ClickException(
            f"{len(result.report.problems)} problems and --strict was given (see the lines above)"
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="archive-search")
def main() -> None:
    """Search historical document archives: read saved pages, build the index, serve the search."""


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Exit with an error when any file or item had a problem.")
def records(sources: tuple[str, ...], strict: bool) -> None:
    """Read SOURCES (files or directories) and print clean records as JSON Lines.

    Reads the archive's text and HTML search listings, record pages, its CSV export and
    our own JSON Lines, whatever the file names. Problems and a summary go to stderr.
    """
    result = _ingest_or_fail(sources)
    out = sys.stdout
    for record in result.records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    out.flush()
    report_problems(result, strict)


if __name__ == "__main__":  # pragma: no cover
    main()
