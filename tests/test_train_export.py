"""A tiny training run that saves and reloads; export round trip; model-directory errors."""
import json
import os
from pathlib import Path

import pytest
import torch
from datasets import DatasetDict

from stance import TransformerClassifier, datasets
from stance.classify.transformer import check_model_dir, export_model
from stance.evaluate import evaluate_classifier
from stance.settings import base_encoder
from stance.train import TrainConfig, fit_temperature, train
from stance.types import Query


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    full = datasets.load("meetstance", templates=False)
    data = DatasetDict({"train": full["train"].select(range(48)), "validation": full["validation"].select(range(24))})
    out = tmp_path_factory.mktemp("m") / "tiny"
    meta = train(TrainConfig(base=base_encoder(), out=str(out), epochs=1, batch_size=16, max_steps=3,
                             input_format="marked"), data)
    return out, meta, data


def test_tiny_training_saves_and_reloads(tiny):
    out, meta, data = tiny
    assert (out / "model.safetensors").is_file() and not list(out.glob("*.bin"))
    saved = json.loads((out / "stance.json").read_text())
    assert saved["input_format"] == "marked" and saved["temperature"] > 0
    clf = TransformerClassifier.load(out)
    preds = clf.predict([Query("ruled out talks", "Iran", "United States")] * 3)
    assert len(preds) == 3 and abs(sum(preds[0].scores.values()) - 1) < 1e-3
    report = evaluate_classifier(clf, data["validation"])
    assert report.n == 24 and len(report.confusion) == 4


def test_training_continues_from_a_saved_stance_model(tiny, tmp_path):
    """A stance model directory is a valid base (continued fine-tuning): its weights, head included, are
    loaded rather than initialised, so a zero learning rate gives them back unchanged."""
    from safetensors.torch import load_file

    out, _, data = tiny
    again = tmp_path / "again"
    train(TrainConfig(base=str(out), out=str(again), epochs=1, batch_size=16, max_steps=1, lr=0.0), data)
    before, after = load_file(out / "model.safetensors"), load_file(again / "model.safetensors")
    assert before.keys() == after.keys() and any("classifier" in k for k in before)
    assert all(torch.equal(before[k], after[k]) for k in before)
    # and keeps the input format the base was trained on, unless told otherwise (with a warning)
    assert json.loads((again / "stance.json").read_text())["input_format"] == "marked"
    with pytest.warns(UserWarning, match="trained on 'marked' inputs"):
        meta = train(TrainConfig(base=str(out), out=str(tmp_path / "pair"), epochs=1, batch_size=16, max_steps=1,
                                 input_format="pair"), data)
    assert meta["input_format"] == "pair"


def test_bf16_training_autocasts_on_the_cpu(tiny, tmp_path, monkeypatch):
    _, _, data = tiny
    seen, autocast = [], torch.autocast
    monkeypatch.setattr(torch, "autocast", lambda *a, **k: (seen.append((a[0], k["dtype"], k["enabled"])),
                                                            autocast(*a, **k))[1])
    out = tmp_path / "bf16"
    train(TrainConfig(base=base_encoder(), out=str(out), epochs=1, batch_size=16, max_steps=2, device="cpu",
                      dtype="bf16"), data)
    assert seen and set(seen) == {("cpu", torch.bfloat16, True)}
    assert TransformerClassifier.load(out).predict([Query("ruled out talks", "Iran", "United States")])
    seen.clear()
    train(TrainConfig(base=base_encoder(), out=str(tmp_path / "fp32"), epochs=1, batch_size=16, max_steps=1,
                      device="cpu"), data)
    assert set(seen) == {("cpu", torch.bfloat16, False)}  # auto: fp32 on the CPU
    with pytest.raises(ValueError, match="unknown training dtype"):
        train(TrainConfig(base=base_encoder(), out=str(tmp_path / "x"), dtype="int4"), data)


def test_export_round_trip_gives_identical_labels(tiny, tmp_path):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    out, _, data = tiny
    dst = export_model(out, tmp_path / "plain")
    clf = TransformerClassifier.load(out)
    queries = [Query(t, s, g) for t, s, g in zip(data["validation"]["text"], data["validation"]["speaker"],
                                                  data["validation"]["target"])]
    ours = [p.label for p in clf.predict(queries)]
    from stance.classify.transformer import encode_inputs
    texts, _ = encode_inputs(queries, "marked")
    hf = pipeline("text-classification", model=AutoModelForSequenceClassification.from_pretrained(dst),
                  tokenizer=AutoTokenizer.from_pretrained(dst), device=-1)
    theirs = [r["label"] for r in hf(texts, batch_size=8)]
    assert ours == theirs


def test_model_directory_errors(tmp_path, tiny):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        check_model_dir(tmp_path / "none")
    (tmp_path / "config.json").write_text("{}")
    torch.save({}, tmp_path / "pytorch_model.bin")
    with pytest.raises(FileNotFoundError, match="missing model.safetensors.*pickle"):
        check_model_dir(tmp_path)
    out, _, _ = tiny
    with pytest.raises(ValueError, match="label-set mismatch"):
        TransformerClassifier.load(out, labels=("none", "against", "favor"))


def test_length_grouped_batches_cover_every_example_once_with_little_padding():
    import random

    from stance.train import _length_grouped
    lengths = [random.Random(i).randint(5, 120) for i in range(1000)]
    batches = _length_grouped(lengths, 32, random.Random(13))
    assert sorted(i for b in batches for i in b) == list(range(1000))
    assert all(len(b) <= 32 for b in batches)
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    assert padded < 1.1 * sum(lengths)  # random batches pad to ~1.7x here
    assert batches == _length_grouped(lengths, 32, random.Random(13))


def test_target_noise_flips_target_presence_and_nothing_else():
    import random

    from stance.train import _noisy
    queries = [Query("ruled out talks", "Iran", "United States"), Query("the two met in 2019", "Iran", None),
               Query("open to a meeting", "United States", None)]
    assert _noisy(queries, 0.0, random.Random(1)) == queries
    flipped = _noisy(queries, 1.0, random.Random(1))
    assert [(q.text, q.speaker) for q in flipped] == [(q.text, q.speaker) for q in queries]
    assert flipped[0].target is None and flipped[1].target == "United States"
    assert flipped[2].target is None  # never the speaker itself
    assert _noisy(queries, 1.0, random.Random(1)) == flipped


def test_found_targets_replace_gold_ones_for_the_given_share():
    import random

    from stance.train import _found
    queries = [Query(f"statement {i}", "Iran", "United States" if i % 2 else None) for i in range(200)]
    found = ["Oman" if i % 3 else None for i in range(200)]
    assert [q.target for q in _found(queries, found, 1.0, random.Random(1))] == found
    assert _found(queries, found, 0.0, random.Random(1)) == queries
    half = _found(queries, found, 0.5, random.Random(1))
    assert [(q.text, q.speaker) for q in half] == [(q.text, q.speaker) for q in queries]
    took = [i for i, (q, h) in enumerate(zip(queries, half)) if h.target == found[i] and q.target != found[i]]
    kept = [i for i, (q, h) in enumerate(zip(queries, half)) if h.target == q.target != found[i]]
    assert len(took) + len(kept) == sum(q.target != f for q, f in zip(queries, found)) and abs(len(took) - len(took + kept) / 2) < 25
    assert half == _found(queries, found, 0.5, random.Random(1))


def test_averaging_models_gives_the_mean_of_their_weights(tiny, tmp_path):
    import shutil

    from safetensors.torch import load_file

    from stance import DEFAULT_MODEL
    from stance.train import average
    out, _, _ = tiny
    meta = average([str(out), DEFAULT_MODEL], str(tmp_path / "soup"))
    a, b = load_file(out / "model.safetensors"), load_file(f"{DEFAULT_MODEL}/model.safetensors")
    soup = load_file(tmp_path / "soup" / "model.safetensors")
    assert soup.keys() == a.keys()
    for k in soup:
        assert torch.allclose(soup[k].float(), (a[k].float() + b[k].float()) / 2, atol=2e-3), k
    assert meta["temperature"] > 0 and meta["averaged"] == [str(out), DEFAULT_MODEL]
    assert TransformerClassifier.load(tmp_path / "soup").predict([Query("ready to meet", "Iran", "Oman")])

    other = tmp_path / "pair"
    shutil.copytree(out, other)
    saved = json.loads((other / "stance.json").read_text())
    (other / "stance.json").write_text(json.dumps(dict(saved, input_format="pair")))
    with pytest.raises(ValueError, match="cannot be averaged"):
        average([str(out), str(other)], str(tmp_path / "bad"))
    with pytest.raises(ValueError, match="at least two"):
        average([str(out)], str(tmp_path / "bad"))
    config = json.loads((out / "config.json").read_text())
    (other / "stance.json").write_text(json.dumps(saved))
    from safetensors.torch import save_file
    weights = dict(a)
    key = next(k for k in weights if k.endswith("word_embeddings.weight"))
    weights[key] = weights[key][:30000].clone()  # a smaller vocabulary: other shapes
    save_file(weights, other / "model.safetensors", metadata={"format": "pt"})
    (other / "config.json").write_text(json.dumps(dict(config, vocab_size=30000)))
    with pytest.raises(ValueError, match="architecture or vocabulary"):
        average([str(out), str(other)], str(tmp_path / "bad"))
    shutil.copy(out / "model.safetensors", other / "model.safetensors")
    shuffled = {str(i): lab for i, lab in enumerate(reversed(list(config["id2label"].values())))}
    for d in (other, tmp_path / "soup"):
        (d / "config.json").write_text(json.dumps(dict(config, id2label=shuffled,
                                                       label2id={v: int(k) for k, v in shuffled.items()})))
    with pytest.raises(ValueError, match="label-set mismatch"):
        average([str(other), str(tmp_path / "soup")], str(tmp_path / "bad"))


def test_pipeline_examples_label_the_pipelines_own_queries_with_the_gold_stance():
    from stance.train import _pipeline_examples
    from stance.types import LABELS, Statement

    text = ('Ruritania\'s foreign minister, Anna Berg, said on Monday that her government was ready to meet Borduria '
            '"at any time and in any place". Separately, the weather bureau said rain was expected on Friday.')
    gold = "her government was ready to meet Borduria"
    start = text.index(gold)
    statement = Statement(gold, start, start + len(gold), "indirect", speaker="Anna Berg", target="Borduria",
                          stance="willing")
    article = {"id": "a", "text": text, "statements": json.dumps([statement.to_dict()]),
               "entities": json.dumps({"Anna Berg": ["Berg"], "Borduria": []})}
    queries, labels = _pipeline_examples([article], list(LABELS))
    # the pipeline's span runs on into the quote, so it differs from the gold one; the weather report
    # matches no gold statement and is left out rather than called none
    assert len(queries) == 1 and queries[0].text != gold and gold in queries[0].text
    assert (queries[0].speaker, LABELS[labels[0]]) == ("Anna Berg", "willing")


def test_pipeline_examples_need_gold_articles(tmp_path):
    with pytest.raises(ValueError, match="gold articles"):
        train(TrainConfig(base="unused", out=str(tmp_path), dataset="semeval2016", pipeline_examples=True))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saved_and_exported_weights_follow_the_umask(tiny, tmp_path):
    out, _, _ = tiny
    old = os.umask(0o022)
    try:
        dst = export_model(out, tmp_path / "plain")
        assert {f.name: f.stat().st_mode & 0o777 for f in dst.iterdir()} == dict.fromkeys(
            (f.name for f in dst.iterdir()), 0o644)  # the weights too, not 0600
        saved = {f.name: f.stat().st_mode & 0o777 for f in Path(out).iterdir()}  # by stance train, earlier
        assert saved["model.safetensors"] == saved["config.json"]
        os.umask(0o077)
        private = export_model(out, tmp_path / "private")
        assert all(f.stat().st_mode & 0o777 == 0o600 for f in private.iterdir())
        assert not [f for f in private.iterdir() if f.name.startswith(".")]  # no probe left behind
    finally:
        os.umask(old)


def test_temperature_is_bounded_and_kept_only_where_it_lowers_the_ece():
    torch.manual_seed(0)
    gold = torch.randint(0, 3, (600,))
    calibrated = torch.randn(600, 3) + 1.5 * torch.nn.functional.one_hot(gold, 3)
    probs = torch.softmax(calibrated, -1)
    gold = torch.multinomial(probs, 1).squeeze(1)  # labels drawn from the probabilities: calibrated by design
    t, before, after = fit_temperature(4 * calibrated, gold)  # four times over-confident
    assert 3 < t < 5 and after < before
    # every prediction right: NLL falls without end as T -> 0 (the unbounded fit went to 8e-15), so the search
    # ends near its bound, where NLL is zero to double precision
    sure = 3 * torch.nn.functional.one_hot(gold, 3).float()
    t, before, after = fit_temperature(sure, gold)
    assert 0.05 <= t < 0.1 and after < before
    # four statements whose NLL minimum (T = 2.8) raises the ECE: T stays 1
    few = torch.tensor([[-5.13, -2.86], [1.00, 1.09], [-0.81, 2.27], [-2.22, 0.70]])
    assert fit_temperature(few, torch.tensor([0, 1, 1, 1]))[0] == 1.0
