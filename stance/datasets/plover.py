"""PLOVER gold-standard records about meetings, talks or negotiation, mapped to our stance labels.

Mapping (documented in data/README.md): records whose event is AGREE, REJECT, REQUEST, DEMAND or CONSULT
and whose text mentions meeting, talks or negotiation are kept. AGREE and REQUEST -> willing; REJECT ->
rejecting; DEMAND -> conditional when the text states a condition, else willing (a demand for talks);
CONSULT (a meeting that took place) -> none. Source and target are the first actors' texts.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

from ..classify.conditions import find_condition
from ..types import LABELS
from . import DatasetError, require

_ABOUT_MEETING = re.compile(r"\b(meet\w*|talks?|negotiat\w*|summit|dialogue|visit\w*|conference|mediat\w*|"
                            r"discuss\w*|consult\w*|host\w*)\b", re.I)
_MAP = {"AGREE": "willing", "REQUEST": "willing", "REJECT": "rejecting", "CONSULT": "none"}
FEATURES = Features({"id": Value("string"), "text": Value("string"), "speaker": Value("string"),
                     "target": Value("string"), "label": ClassLabel(names=list(LABELS)), "event": Value("string")})


def label_for(event: str, text: str) -> str | None:
    if event == "DEMAND":
        return "conditional" if find_condition(text) else "willing"
    return _MAP.get(event)


def _actor(value) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    return value.get("actorText", "") if isinstance(value, dict) else str(value or "")


def load(path: Path) -> DatasetDict:
    file = require(path / "PLOVER_GSR_CAMEO.txt" if path.is_dir() else path, "plover")
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"plover: {file} is not a JSON array: {exc}") from exc
    rows: dict[str, list] = {k: [] for k in FEATURES}
    for r in records:
        text = r.get("text")
        label = label_for(r.get("event", ""), text or "") if text else None
        if label is None or not _ABOUT_MEETING.search(text):
            continue
        rows["id"].append(r["id"])
        rows["text"].append(text)
        rows["speaker"].append(_actor(r.get("source")))
        rows["target"].append(_actor(r.get("target")))
        rows["label"].append(LABELS.index(label))
        rows["event"].append(r["event"])
    return DatasetDict({"test": Dataset.from_dict(rows, features=FEATURES)})
