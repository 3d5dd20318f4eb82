"""Checks every per-site codemod should pass on a source: its sites are independent, and it keeps the rules."""

from __future__ import annotations

import random
from collections import Counter

from trimbench import rules
from trimbench.codemods import TransformSuccess, apply, find_sites

from ._original import assert_parses


def one_by_one(name: str, source: str, order: list[int]) -> str:
    """`source` with its sites applied one rewrite at a time, in `order`, each found again on the current source.

    Independent sites survive each other's rewrite, in the same order: after some are applied, the site that
    was `i` is the i-th of those not yet applied.
    """
    done: list[int] = []
    for index in order:
        result = apply(name, source, sites=[index - sum(1 for d in done if d < index)])
        assert isinstance(result, TransformSuccess), index
        source, done = result.code, [*done, index]
    return source


def assert_sites_independent(name: str, source: str, orders: int = 2) -> None:
    """Applying every site at once equals applying them one at a time, in any order; each site alone parses."""
    sites = find_sites(name, source)
    assert sites
    everything = apply(name, source)
    assert isinstance(everything, TransformSuccess)
    for site in sites:
        alone = apply(name, source, sites=[site.index])
        assert isinstance(alone, TransformSuccess), site
        assert_parses(alone.code)
    rng = random.Random(len(sites))
    for _ in range(orders):
        order = rng.sample(range(len(sites)), len(sites))
        assert one_by_one(name, source, order) == everything.code, order


def new_violations(original: str, variant: str) -> list[str]:
    """The rules `variant` breaks that `original` does not already break (lines aside: they move)."""
    def kinds(source: str) -> Counter[tuple[str, str]]:
        return Counter((v.rule, v.detail) for v in rules.check(original, source))
    return sorted((kinds(variant) - kinds(original)).elements())
