"""The `archive-search` command: thin click commands over the indexer's functions."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from . import replicas as replicas_module
from .index.build import BuildRefused, BuildResult, build_from_sources, update_index
from .index.generations import BuildLocked, IndexUnavailable
from .records.authority import AuthorityError
from .records.dates import format_archive_date
from .records.facets import KEYWORD_FACETS
from .replicas import HAProxy, Replica
from .search.engine import Results
from .search.query import SORTS, QueryError, make_query
from .sources.ingest import IngestReport, IngestResult, ingest

COMMANDS_GROUP = "archive_search.commands"


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


class PluginGroup(click.Group):
    """The indexer's commands plus those other packages register under the
    ``archive_search.commands`` entry point (the web app's ``serve``), loaded only when
    asked for: the indexer never imports the web app, and `records` never loads gunicorn."""

    def _plugins(self) -> dict[str, EntryPoint]:
        return {entry.name: entry for entry in entry_points(group=COMMANDS_GROUP)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._plugins()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in self._plugins():
            loaded = self._plugins()[cmd_name].load()
            command = loaded if isinstance(loaded, click.Command) else None
        return command


@click.group(cls=PluginGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="archive-search")
def main() -> None:
    """Search historical document archives: read saved pages, build the index, serve the search."""


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option(
    "--strict", is_flag=True, help="Exit with an error when any file or item had a problem."
)
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


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option(
    "--index",
    "index_path",
    default="data/index",
    show_default=True,
    type=click.Path(),
    help="The index to write (a link to its current generation).",
)
@click.option("--update", is_flag=True, help="Add and replace records by id instead of rebuilding.")
@click.option("--strict", is_flag=True, help="Build nothing when any file or item had a problem.")
@click.option(
    "--procs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes that read, clean and write (default: one per core).",
)
def build(
    sources: tuple[str, ...], index_path: str, update: bool, strict: bool, procs: int | None
) -> None:
    """Read SOURCES and build the search index from them (swapped in whole when done)."""
    started = time.perf_counter()
    try:
        if update:
            report, built = _update(sources, index_path, strict)
        else:
            report, built = _build(sources, index_path, strict, procs)
    except AuthorityError as error:
        raise click.ClickException(f"the person authority file is broken: {error}") from error
    except (BuildLocked, BuildRefused, IndexUnavailable) as error:
        raise click.ClickException(str(error)) from error
    seconds = time.perf_counter() - started
    click.echo(
        f"{'updated' if update else 'indexed'} {built.records} records "
        f"({report.merged} merged duplicates, {len(report.problems)} problems) "
        f"into {index_path} in {seconds:.1f} s ({built.records / seconds:.0f} records/s)",
        err=True,
    )


def _build(
    sources: tuple[str, ...], index_path: str, strict: bool, procs: int | None
) -> tuple[IngestReport, BuildResult]:
    """A full build, streamed: problems are printed as soon as the sources are read."""
    with (
        tqdm(desc="reading", unit=" files", disable=None, leave=False) as reading,
        tqdm(desc="indexing", unit=" records", disable=None, leave=False) as indexing,
    ):
        try:
            built = build_from_sources(
                sources,
                index_path,
                procs=procs,
                strict=strict,
                on_file=lambda _path: _advance(reading, 1),
                progress=lambda count: _advance(indexing, count),
                on_read=_print_problems,
            )
        except BuildRefused as refused:
            if refused.report is not None:
                _print_problems(refused.report)
            raise
    assert built.report is not None  # a full build always reports its reading
    return built.report, built


def _update(
    sources: tuple[str, ...], index_path: str, strict: bool
) -> tuple[IngestReport, BuildResult]:
    with tqdm(desc="reading", unit=" files", disable=None, leave=False) as reading:
        result = ingest(sources, on_file=lambda _path: _advance(reading, 1))
    _print_problems(result.report)
    if strict and result.report.problems:
        raise BuildRefused(
            f"{len(result.report.problems)} problems and --strict was given: nothing built"
        )
    if not result.records:
        raise BuildRefused("no records were read from the sources given: nothing built")
    with tqdm(
        total=len(result.records), desc="indexing", unit=" records", disable=None, leave=False
    ) as bar:
        built = update_index(
            result.records, index_path, progress=lambda count: _advance(bar, count)
        )
    return result.report, built


def _print_problems(report: IngestReport) -> None:
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)


def _facet_options(command: Callable[..., None]) -> Callable[..., None]:
    """--subject, --place, --language ...: one repeatable option per keyword facet."""
    for facet in reversed(KEYWORD_FACETS):
        how = "either" if facet.disjunctive else "all"
        command = click.option(
            f"--{facet.name}",
            facet.name,
            multiple=True,
            help=f"Only records with this {facet.label.lower()} (repeatable: {how}).",
        )(command)
    return command


@main.command()
@click.argument("source", type=click.Path())
@click.option(
    "--replica",
    "replicas",
    nargs=3,
    multiple=True,
    required=True,
    metavar="NAME INDEX URL",
    help="A replica: its server name in haproxy, its index link, its base URL (repeat).",
)
@click.option(
    "--haproxy-socket",
    type=click.Path(),
    default=None,
    help="haproxy's admin socket, to drain each replica while its link is swapped.",
)
@click.option("--backend", default="replicas", show_default=True, help="haproxy's backend name.")
@click.option(
    "--health-timeout",
    type=click.FloatRange(1, 3600),
    default=replicas_module.HEALTH_SECONDS,
    show_default=True,
    help="Seconds a replica has to report the new generation.",
)
def publish(
    source: str,
    replicas: tuple[tuple[str, str, str], ...],
    haproxy_socket: str | None,
    backend: str,
    health_timeout: float,
) -> None:
    """Publish the index SOURCE serves to every replica: copy it beside each replica's
    index and check it, then swap the replicas one at a time, each drained in haproxy."""
    targets = [Replica(name, Path(index), url) for name, index, url in replicas]
    proxy = HAProxy(Path(haproxy_socket), backend) if haproxy_socket else None
    started = time.perf_counter()
    try:
        reports = replicas_module.publish(
            Path(source),
            targets,
            proxy,
            say=lambda line: click.echo(line, err=True),
            health_seconds=health_timeout,
        )
    except (replicas_module.PublishError, IndexUnavailable, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"published {reports[-1].swapped_to} to {len(reports)} replicas in "
        f"{time.perf_counter() - started:.1f} s",
        err=True,
    )


@main.command(name="search")
@click.argument("text", required=False, default="")
@click.option("--year", "years", multiple=True, help="Only these years (repeatable: either).")
@click.option(
    "--person", "persons", multiple=True, help="Only records naming this person (repeatable: all)."
)
@_facet_options
@click.option("--from", "date_from", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", help="To this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default=None,
    help="Default: relevance with words, else date.",
)
@click.option("--page", default="1", show_default=True)
@click.option("--per-page", default="20", show_default=True)
@click.option("--index", "index_path", default="data/index", show_default=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
def search_command(
    text: str,
    years: tuple[str, ...],
    persons: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    sort: str | None,
    page: str,
    per_page: str,
    index_path: str,
    as_json: bool,
    **facet_values: tuple[str, ...],
) -> None:
    """Search the index: TEXT in the query language (words, "phrases", OR, NOT, title:...)."""
    from .search.engine import engine_for

    try:
        query = make_query(
            text, years, persons, date_from, date_to, sort, page, per_page, values=facet_values
        )
        results = engine_for(index_path).search(query)
    except QueryError as error:
        raise click.UsageError(f"--{error.param.replace('_', '-')}: {error.message}") from error
    except IndexUnavailable as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_results(results)


def _advance(bar: tqdm[Any], count: int) -> None:
    """One step of a progress bar, as the indexer's callbacks report it."""
    bar.update(count)


def _print_results(results: Results) -> None:
    """The result as a person reads it: count, notes, then one block per record."""
    first = (results.page - 1) * results.per_page + 1 if results.results else 0
    last = first + len(results.results) - 1 if results.results else 0
    about = f" for {results.query.text!r}" if results.query.text else ""
    click.echo(f"{first} - {last} of {results.total} results{about}")
    if results.fallback:
        click.echo(f"(searched as plain words: {results.fallback})")
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}?")
    for hit in results.results:
        click.echo("")
        click.echo(f"  {format_archive_date(hit.date, hit.date_precision)}")
        click.echo(f"  {hit.title}")
        click.echo(f"  {hit.summary}")
        if hit.persons:
            click.echo(f"  People: {'; '.join(hit.persons)}")
        if hit.document_type:
            click.echo(f"  Type: {hit.document_type}")
        passage = hit.highlights.get("text")
        if passage is not None:
            click.echo(f"  In the text: {passage.text}")
        click.echo(f"  id: {hit.id}")


if __name__ == "__main__":  # pragma: no cover
    main()
