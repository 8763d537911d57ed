"""PLOVER gold-standard records about meeting, talks or negotiation, with our stance labels.

Records of PLOVER's gold-standard file (ids starting ``PLOVER-GSR01-``) take the hand-checked labels of
``stance/resources/plover_labels.json`` (29 records; mapping and counts in data/README.md); its other records
are left out. Records with other ids (e.g. PLOVER records written by ``stance events``) take the automatic
event rule, when their text mentions meeting, talks or negotiation: AGREE and REQUEST -> willing, REJECT ->
rejecting, DEMAND -> conditional when a condition is found, else willing; CONSULT -> none. The ``mapping``
column says which ("hand" or "rule"). Speaker and target are the first source and target actors' texts.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

from ..classify.conditions import find_condition
from ..settings import RESOURCES_DIR
from ..types import LABELS
from . import DatasetError, require

LABELS_FILE = RESOURCES_DIR / "plover_labels.json"
_ABOUT_MEETING = re.compile(r"\b(meet\w*|talks?|negotiat\w*|summit|dialogue|visit\w*|conference|mediat\w*|"
                            r"discuss\w*|consult\w*|host(?:s|ed|ing)?)\b", re.IGNORECASE)
_MAP = {"AGREE": "willing", "REQUEST": "willing", "REJECT": "rejecting", "CONSULT": "none"}
FEATURES = Features({"id": Value("string"), "text": Value("string"), "speaker": Value("string"),
                     "target": Value("string"), "label": ClassLabel(names=list(LABELS)), "event": Value("string"),
                     "mapping": Value("string")})


def label_for(event: str, text: str) -> str | None:
    """The automatic event rule (for records outside the hand-checked file)."""
    if event == "DEMAND":
        return "conditional" if find_condition(text) else "willing"
    return _MAP.get(event)


@cache
def hand_labels(path: Path = LABELS_FILE) -> tuple[str, dict[str, str]]:
    """(id prefix of the checked file, {record id: label}) from the hand-checked table."""
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
        prefix, labels = table["id_prefix"], {k: v["label"] for k, v in table["labels"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DatasetError(f"plover: hand-checked label table {path} is missing or malformed: {exc!r}") from exc
    bad = {k: v for k, v in labels.items() if v not in LABELS or not k.startswith(prefix)}
    if bad:
        raise DatasetError(f"plover: {path} has ids outside {prefix!r} or labels outside {list(LABELS)}: {bad}")
    return prefix, labels


def _actor(value) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    return value.get("actorText", "") if isinstance(value, dict) else str(value or "")


def _label(record: dict, prefix: str, hand: dict[str, str]) -> tuple[str, str] | None:
    rid, text = str(record.get("id", "")), record.get("text")
    if rid.startswith(prefix):
        return (hand[rid], "hand") if rid in hand and text else None
    label = label_for(record.get("event", ""), text) if isinstance(text, str) and text else None
    return (label, "rule") if label and _ABOUT_MEETING.search(text) else None


def load(path: Path) -> DatasetDict:
    file = require(path / "PLOVER_GSR_CAMEO.txt" if path.is_dir() else path, "plover")
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"plover: {file} is not a JSON array: {exc}") from exc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DatasetError(f"plover: {file} is not a JSON array of records (objects)")
    prefix, hand = hand_labels()
    rows: dict[str, list] = {k: [] for k in FEATURES}
    for r in records:
        found = _label(r, prefix, hand)
        if found is None:
            continue
        rows["id"].append(str(r.get("id", "")))
        rows["text"].append(r["text"])
        rows["speaker"].append(_actor(r.get("source")))
        rows["target"].append(_actor(r.get("target")))
        rows["label"].append(LABELS.index(found[0]))
        rows["event"].append(r.get("event", ""))
        rows["mapping"].append(found[1])
    return DatasetDict({"test": Dataset.from_dict(rows, features=FEATURES)})
