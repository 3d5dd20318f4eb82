"""golden/manifest.json read back field by field: any other shape is one line that names the file."""

from __future__ import annotations

import json

import pytest

from trimbench import manifest
from trimbench.errors import TrimbenchError

SHA = "ab" * 32
GOOD = {
    "format": 2, "recorder": SHA, "original": {"path": "prog.py", "sha256": SHA}, "inputs": {"input.txt": SHA},
    "tiers": {"full": {"file": "full.txt", "steps": None, "lines": 3, "sha256": SHA, "records": {
        "CPython 3.11.7 x86_64": {"file": "full.cpython.records", "sha256": SHA, "count": 4, "floats": 2,
                                  "sampling_calls": 1, "seconds": 1.5}}}},
}


def test_a_manifest_round_trips(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(GOOD))
    loaded = manifest.load(path)
    assert json.loads(loaded.to_json()) == GOOD
    assert loaded.tiers["full"].records["CPython 3.11.7 x86_64"].floats == 2


def broken(**changes):
    data = json.loads(json.dumps(GOOD))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = data
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return json.dumps(data)


@pytest.mark.parametrize("text, problem", [
    pytest.param('{"format": 2, "recor', "Unterminated string", id="truncated"),
    pytest.param("[]", "not a JSON object", id="a-list"),
    pytest.param("null", "not a JSON object", id="null"),
    pytest.param(broken(format=1), "format 1, not 2", id="the-first-version"),
    pytest.param(broken(tiers={}), "no full tier", id="no-full-tier"),
    pytest.param(broken(original__sha256="xyz"), "original.sha256 is not a sha256", id="bad-sha"),
    pytest.param(broken(tiers__full__lines="3"), "lines is not a count", id="lines-a-string"),
    pytest.param(broken(tiers__full__file="../../etc/passwd"), "is not a file name", id="file-outside-golden"),
    pytest.param(broken(tiers__full__records=[]), "records is not an object", id="records-a-list"),
    pytest.param(broken(inputs=KeyError), "no field 'inputs'", id="no-inputs"),
])
def test_any_other_shape_is_one_line_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "manifest.json"
    path.write_text(text)
    with pytest.raises(TrimbenchError, match=problem) as caught:
        manifest.load(path)
    message = str(caught.value)
    assert str(path) in message and "trimbench golden record" in message and "\n" not in message


def test_a_missing_manifest(tmp_path):
    with pytest.raises(TrimbenchError, match="no goldens: .*manifest.json is missing"):
        manifest.load(tmp_path / "manifest.json")


def test_a_folder_in_place_of_the_manifest(tmp_path):
    (tmp_path / "manifest.json").mkdir()
    with pytest.raises(TrimbenchError, match="manifest.json is missing"):
        manifest.load(tmp_path / "manifest.json")
