"""Per-site rewriting: the Site a codemod proposes, and the mixin that numbers sites and keeps the chosen ones.

A codemod first finds every place it could change (before changing anything), then rewrites only the
places whose index was asked for. So a search can try the sites one by one, or any subset at once, and
one unsafe site costs only itself. A codemod offers only sites that are independent of each other:
when two candidates interact (an inlining whose target is itself inlined next), it offers one of them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._shared import skip

T = TypeVar("T")


@dataclass(frozen=True)
class Site:
    index: int  # position among this codemod's sites on this source, in source order, from 0
    line: int  # first line of the site in the source (1-based)
    summary: str  # one short line: what would change, e.g. "inline `loss_t` into line 181"


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """A site as the codemod found it: where it starts, what it would do, and the codemod's own plan for it."""

    line: int
    column: int
    summary: str
    plan: T


def selection(sites: Collection[int] | None) -> frozenset[int] | None:
    """The `sites` constructor option, checked: None (every site) or a collection of ints."""
    if sites is None:
        return None
    if isinstance(sites, (str, bytes)) or not isinstance(sites, Collection):
        raise TypeError(f"sites must be a collection of site indices or None, not {type(sites).__name__}")
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in sites):
        raise TypeError(f"sites must hold ints (site indices), got {sorted(map(repr, sites))}")
    return frozenset(sites)


class SiteChooser:
    """Mixin for a codemod that rewrites site by site: `init_sites` in __init__, `choose` once, in visit_Module."""

    sites: tuple[Site, ...] = ()  # every site found on the last source, in source order

    def init_sites(self, sites: Collection[int] | None) -> None:
        self.wanted = selection(sites)
        self.sites = ()

    def choose(self, found: Sequence[Candidate[T]], nothing: str) -> list[T]:
        """Number the candidates in source order, remember them as `self.sites`, and return the chosen plans.

        Raises SkipFile (with `nothing` as the reason) when there is no candidate, and when none was chosen.
        """
        ordered = sorted(found, key=lambda c: (c.line, c.column))
        self.sites = tuple(Site(i, c.line, c.summary) for i, c in enumerate(ordered))
        if not ordered:
            raise skip(nothing)
        chosen = [c.plan for i, c in enumerate(ordered) if self.wanted is None or i in self.wanted]
        if not chosen:
            raise skip(f"none of the {len(ordered)} site(s) was selected")
        return chosen
