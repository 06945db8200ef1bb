"""The one place that reaches into citeproc-py's internals: substituted variables.

The CSL specification says a variable that stood in for a missing name (a record with
no author cites its title first) "is considered empty for the remainder of the
output". citeproc-py 0.11 represses only a substitute that is itself a variable; every
official Chicago, MLA, APA and Turabian style substitutes through a macro
(``<text macro="author-title-substitute-bib"/>``), so an author-less archive record
printed its title twice ("“Cable, Mao…”. “Cable, Mao…”. February 1950.", citeproc-py
issue #91). Here the substitute records which variables its winning child actually
rendered (through any depth of macros) and represses exactly those.

It also remembers each style's macros by name: citeproc-py looked a macro up with an
XPath query on every use (11,000 queries for one Chicago citation, half its time).

What this relies on, each checked by tests/test_citations.py against citeproc-py's
public behaviour: ``Substitute`` renders its children in order and keeps the first
that gives text; ``Text._variable`` is where a text element reads its variable and
checks ``layout.repressed``; ``layout.repressed`` maps an element tag to variable names;
``CitationStylesElement.get_macro(name)`` returns the style's first macro of that name,
which does not change once the style is parsed.
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.model import CitationStylesElement, Names, Substitute, Text, VariableError

_recorders: list[list[tuple[str, str]]] = []
_read_variable = Text._variable
_find_macro = CitationStylesElement.get_macro
# (id of a style's root element, macro name) -> (that root, the macro). The root is kept
# with its macro, so an id reused by another style after this one is freed never matches.
_macros: dict[tuple[int, str], tuple[Any, Any]] = {}
_MAX_MACROS = 20_000


def _macro(self: CitationStylesElement, name: str) -> Any:
    root = self.get_root()
    key = (id(root), name)
    found = _macros.get(key)
    if found is None or found[0] is not root:
        if len(_macros) >= _MAX_MACROS:
            _macros.clear()
        found = _macros[key] = (root, _find_macro(self, name))
    return found[1]


def _variable_read(self: Text, item: Any, context: Any) -> Any:
    text = _read_variable(self, item, context)
    if text and _recorders:
        _recorders[-1].append((self.tag, self.get("variable")))
    return text


def _render_substitute(self: Substitute, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's Substitute.render, repressing what the chosen child rendered."""
    for child in self.getchildren():
        rendered: list[tuple[str, str]] = []
        _recorders.append(rendered)
        try:
            if isinstance(child, Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        finally:
            _recorders.pop()
        if text:
            self.add_to_repressed_list(child, context)
            repressed = context.get_layout().repressed
            for tag, variable in rendered:
                repressed.setdefault(tag, []).append(variable)
            return text
    return None


def install() -> None:
    """Patch citeproc-py once (idempotent); citations.py calls it on import."""
    if getattr(model, "_archive_search_repaired", False):
        return
    Text._variable = _variable_read
    Substitute.render = _render_substitute
    CitationStylesElement.get_macro = _macro
    model._archive_search_repaired = True
