"""SemEval-2016 Task 6 stance (TweetEval's copy): TARGET/{train,val,test}_{text,labels}.txt.

Labels none / against / favor; the task metric F_avg is the mean of the FAVOR and AGAINST F1.
"""
from __future__ import annotations

from pathlib import Path

from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

from . import DatasetError, require

LABELS = ("none", "against", "favor")
TOPICS = {"abortion": "legalization of abortion", "atheism": "atheism", "climate": "climate change is a real concern",
          "feminist": "feminist movement", "hillary": "Hillary Clinton"}
FEATURES = Features({"text": Value("string"), "speaker": Value("string"), "target": Value("string"),
                     "label": ClassLabel(names=list(LABELS)), "domain": Value("string")})


def load(path: Path) -> DatasetDict:
    require(path, "semeval2016")
    splits = {}
    for split, stem in (("train", "train"), ("validation", "val"), ("test", "test")):
        rows: dict[str, list] = {k: [] for k in FEATURES}
        for topic, target in TOPICS.items():
            texts = require(path / topic / f"{stem}_text.txt", "semeval2016").read_text(encoding="utf-8").splitlines()
            labels = require(path / topic / f"{stem}_labels.txt", "semeval2016").read_text(encoding="utf-8").split()
            if len(texts) != len(labels):
                raise DatasetError(f"semeval2016: {topic}/{stem}: {len(texts)} texts but {len(labels)} labels")
            for text, label in zip(texts, labels):
                if label not in {"0", "1", "2"}:
                    raise DatasetError(f"semeval2016: {topic}/{stem}: label {label!r} is not 0, 1 or 2")
                rows["text"].append(text)
                rows["speaker"].append("")
                rows["target"].append(target)
                rows["label"].append(int(label))
                rows["domain"].append(topic)
        splits[split] = Dataset.from_dict(rows, features=FEATURES)
    return DatasetDict(splits)

