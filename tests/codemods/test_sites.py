"""Site numbering: candidates sorted into source order, the chosen ones kept, `sites` checked."""

from __future__ import annotations

import pytest
from libcst.codemod import SkipFile

from trimbench.codemods._sites import Candidate, Site, SiteChooser, selection


def chooser(sites) -> SiteChooser:
    made = SiteChooser()
    made.init_sites(sites)
    return made


FOUND = [Candidate(9, 4, "c", "third"), Candidate(2, 0, "a", "first"), Candidate(9, 0, "b", "second")]


def test_candidates_are_numbered_in_source_order() -> None:
    made = chooser(None)
    assert made.choose(FOUND, "nothing") == ["first", "second", "third"]
    assert made.sites == (Site(0, 2, "a"), Site(1, 9, "b"), Site(2, 9, "c"))


def test_only_the_chosen_plans_are_returned_but_every_site_is_listed() -> None:
    made = chooser({2, 7})
    assert made.choose(FOUND, "nothing") == ["third"]
    assert len(made.sites) == 3


@pytest.mark.parametrize("sites, found, reason", [
    pytest.param(None, [], "nothing to do", id="no-candidate"),
    pytest.param((), FOUND, "none of the 3 site(s) was selected", id="empty-subset"),
])
def test_skips_say_why(sites, found, reason: str) -> None:
    with pytest.raises(SkipFile, match=reason.replace("(", r"\(").replace(")", r"\)")):
        chooser(sites).choose(found, "nothing to do")


@pytest.mark.parametrize("sites", [pytest.param("12", id="string"), pytest.param(3, id="int"),
                                   pytest.param([True], id="bool"), pytest.param([1.0], id="float")])
def test_selection_refuses_what_is_not_a_collection_of_ints(sites) -> None:
    with pytest.raises(TypeError):
        selection(sites)


def test_selection_of_ints() -> None:
    assert selection(range(3)) == frozenset({0, 1, 2}) and selection(None) is None
