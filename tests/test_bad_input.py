"""Bad input gets a clear answer: one result per record, a readable error or warning, and the other records
of the same batch still come out. Also the security rules: safetensors only, no remote code, no paths."""
import gzip
import json
import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import stance
from stance import io
from stance.classify.transformer import TransformerClassifier, check_model_dir
from stance.pipeline import Pipeline
from stance.settings import MAX_CHARS, MAX_LINE_BYTES
from stance.types import Query

GOOD = '"We will talk to them tomorrow," the minister said.'
GERMAN = ("Der Bundeskanzler sagte am Montag, die Regierung sei zu Gesprächen mit der Opposition bereit, "
          "aber nur unter der Bedingung, dass die Blockade der Häfen sofort beendet werde. ") * 3


def around_good(pipeline, *records):
    """Results for records placed between two good ones, after checking that the good ones came out whole."""
    results = list(pipeline.pipe([{"id": "before", "text": GOOD}, *records, {"id": "after", "text": GOOD}]))
    assert len(results) == len(records) + 2
    for r in (results[0], results[-1]):
        assert r.error is None and len(r.statements) == 1
    return results[1:-1]


def test_empty_missing_and_wrong_typed_fields(rules_pipeline):
    records = [{"id": "empty", "text": ""}, {"id": "blank", "text": " \n\t "}, {"text": GOOD}, {"id": None, "text": GOOD},
               {"id": 7, "text": GOOD}, {"id": "int-text", "text": 12}, {"id": "null-text", "text": None}, ["a list"]]
    empty, blank, no_id, null_id, int_id, int_text, null_text, a_list = around_good(rules_pipeline, *records)
    for r in (empty, blank):
        assert r.error is None and r.statements == [] and r.meta["warning"] == "empty text"
    assert (no_id.id, null_id.id, int_id.id) == ("3", "4", "7")  # no id: the 0-based position in the input
    assert no_id.statements and null_id.statements and int_id.statements
    assert int_text.error == null_text.error == 'record has no "text" string'
    assert a_list.error == "record 8 is a list, not an object"


def test_an_object_or_list_id_is_written_as_json(rules_pipeline):
    a, b = around_good(rules_pipeline, {"id": {"b": 1, "a": "x"}, "text": GOOD}, {"id": [1, "z"], "text": GOOD})
    assert (a.id, b.id) == ('{"a":"x","b":1}', '[1,"z"]')


def test_calling_the_pipeline_on_a_non_string_is_a_type_error(rules_pipeline):
    for bad in (b"Putin said he was ready.", None):
        with pytest.raises(TypeError, match=f"text must be a str, not {type(bad).__name__}"):
            rules_pipeline(bad)


def test_html_is_blanked_and_offsets_index_the_html(rules_pipeline):
    page = ('<html><head><style>p { color: red }</style></head><body>\n<p class="lead">&ldquo;We are ready to '
            'meet them in Geneva,&rdquo; the <b>foreign minister</b> said on Monday.</p>\n'
            '<script>var s = "<p>not news</p>";</script></body></html>')
    marked_up = 'Before the vote: <p>"We will never negotiate with them," the mayor said.</p>'
    as_html, forced, as_text = around_good(rules_pipeline, {"id": "page", "text": page},
                                           {"id": "forced", "text": marked_up, "format": "html"},
                                           {"id": "raw", "text": page, "format": "text"})
    assert as_html.error is None and "HTML markup blanked out" in as_html.meta["warning"]
    [s] = as_html.statements
    assert s.text == page[s.start:s.end] == "We are ready to meet them in Geneva"  # offsets index the input
    assert page[s.cue.start:s.cue.end] == "said" and s.speaker == "foreign minister"
    assert s.speaker_mention.text == "the    foreign minister"  # markup inside a span reads as spaces
    assert [s.stance for s in forced.statements] == ["rejecting"] and "<p>" not in forced.statements[0].text
    assert "warning" not in as_text.meta  # format "text": processed as given
    unclosed = "<p>a</p><!-- never closed <b>b</b> <script> c"
    assert io.blank_markup(unclosed) == "\n  a\n   <!-- never closed    b     <script> c"


def test_markup_after_a_lead_in_and_a_byte_order_mark(rules_pipeline):
    lead_in = 'BREAKING <p>"We will never negotiate with them," the mayor said.</p><p>More to follow.</p>'
    padded = '\ufeff<p>Putin said he was ready to meet Zelensky &amp; Trump in Riyadh.</p><p>More.</p>'
    plain = '\ufeffPutin said he was ready to meet Zelensky.'
    lead_in, padded, plain = around_good(rules_pipeline, {"text": lead_in}, {"text": padded}, {"text": plain})
    assert "HTML markup blanked out" in lead_in.meta["warning"] and "<" not in lead_in.statements[0].text
    assert [(s.speaker, s.target) for s in padded.statements] == [("Putin", "Zelensky & Trump")]
    assert [s.speaker for s in plain.statements] == ["Putin"]  # the byte-order mark is no part of a name


def test_non_english_text_is_processed_with_a_warning(rules_pipeline):
    german, english = around_good(rules_pipeline, {"id": "de", "text": GERMAN}, {"id": "en", "text": GOOD * 5})
    assert german.error is None and german.meta["warning"] == ("text does not look like English; the models are "
                                                               "English-only")
    assert "warning" not in english.meta and english.statements
    short = "Der Kanzler sagte am Montag, die Regierung sei zu Gesprächen mit der Opposition bereit."
    assert not io.looks_english(short) and not io.looks_english("Президент заявил, что готов встретиться.")
    assert io.looks_english("Putin rejects Zelensky offer") and io.looks_english(GOOD)  # a headline, a sentence


def test_twenty_megabyte_article_names_the_limit(rules_pipeline):
    [big] = around_good(rules_pipeline, {"id": "big", "text": "word " * 4_000_000})
    assert big.statements == []
    assert big.error == (f"text of 20,000,000 characters exceeds the limit of {MAX_CHARS:,} (STANCE_MAX_CHARS; "
                         "truncate=True or --truncate cuts it instead)")


def test_truncate_cuts_at_a_paragraph_end_with_a_warning(rules_pipeline):
    cutting = Pipeline(replace(rules_pipeline.analyzer, max_chars=200, truncate=True), rules_pipeline.classifier)
    text = (GOOD + "\n") * 10
    [r] = around_good(cutting, {"id": "long", "text": text})
    assert r.error is None and r.meta["warning"] == ("text truncated from 520 to 155 characters (limit 200, "
                                                     "STANCE_MAX_CHARS)")
    assert len(r.statements) == 3 and all(s.end <= 155 for s in r.statements)
    assert io.truncate("One. Two. Three", 12) == "One. Two."  # no paragraph end: a sentence end
    assert io.truncate("x" * 30, 10) == "x" * 10  # neither: a hard cut


def test_text_or_id_that_names_a_file_is_only_text(rules_pipeline, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(GOOD)
    by_text, by_id = around_good(rules_pipeline, {"id": "t", "text": str(secret)},
                                 {"id": str(secret), "text": "/etc/passwd"})
    assert by_text.error is None and by_text.statements == []  # the file's quote is never read
    assert by_id.id == str(secret) and by_id.error is None and by_id.statements == []


def test_jsonl_bad_bytes_bom_null_ids_surrogates_and_duplicates(tmp_path, rules_pipeline):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "ok"}\n'
                    b'{"id": "b", "text": "caf\xe9 \\"We will talk,\\" he said."}\n'
                    b'{"id": null, "text": "x"}\n'
                    b'{"id": "a", "text": "again", "warning": "from the source"}\n'
                    b'{"id": "s", "text": "lone \\ud800 half", "title": "\\udfff"}\n')
    rows = list(io.read_records([src, src]))
    assert [r["id"] for r in rows] == ["a", "b", f"{src}:3", "a", "s"] * 2
    assert rows[1]["warning"] == "invalid UTF-8 at byte 24 of line 2 replaced with U+FFFD"
    assert rows[1]["text"].startswith("caf\ufffd ")
    assert rows[3]["warning"] == "from the source; duplicate id 'a': processed again as a separate record"
    assert rows[4]["text"] == "lone \ufffd half" and rows[4]["title"] == "\ufffd"
    assert rows[4]["warning"] == ("lone surrogate code points in 'text' replaced with U+FFFD; "
                                  "lone surrogate code points in 'title' replaced with U+FFFD")
    assert all("duplicate id" in r["warning"] for r in rows[5:])
    results = [r.to_dict() for r in rules_pipeline.pipe(rows)]
    assert len(results) == 10 and all(r["error"] is None for r in results) and results[1]["statements"]
    assert io.write_jsonl(results, tmp_path / "out.jsonl") == 10  # everything read can be written


def test_huge_single_json_line_is_one_error_record(tmp_path):
    src = tmp_path / "huge.jsonl"
    with open(src, "wb") as fh:
        fh.write(b'{"id": "first", "text": "ok"}\n{"id": "huge", "text": "')
        fh.write(b"x" * (MAX_LINE_BYTES + 1000))
        fh.write(b'"}\n{"id": "last", "text": "ok"}\n')
    rows = list(io.read_records([src]))
    assert [r["id"] for r in rows] == ["first", f"{src}:2", "last"]
    assert rows[1]["error"] == (f"line 2 of {src} is longer than the limit of {MAX_LINE_BYTES:,} bytes "
                                "(STANCE_MAX_LINE_BYTES); skipped")


def test_json_lines_too_deep_or_with_huge_numbers_are_error_records(tmp_path):
    src = tmp_path / "odd.jsonl"
    src.write_text('{"id": "first", "text": "ok"}\n' + "[" * 100_000 + "]" * 100_000 + "\n"
                   + '{"id": "n", "text": "ok", "date": 1' + "0" * 5000 + "}\n" + '{"id": "last", "text": "ok"}\n')
    rows = list(io.read_records([src]))
    assert [r["id"] for r in rows] == ["first", f"{src}:2", f"{src}:3", "last"]
    assert rows[1]["error"].startswith(f"line 2 of {src} is not JSON: maximum recursion depth")
    assert rows[2]["error"].startswith(f"line 3 of {src} is not JSON: Exceeds the limit (4300 digits)")


def test_metadata_that_json_cannot_hold_is_converted(tmp_path, rules_pipeline):
    src = tmp_path / "meta.parquet"
    pq.write_table(pa.table({"text": [GOOD, GOOD], "date": pa.array([0, 86_400_000], pa.timestamp("ms")),
                             "title": [b"T\xc3\xa9", b"\xff"], "source": [float("nan"), 1.5]}), src)
    results = [r.to_dict() for r in rules_pipeline.pipe(io.read_records([src]))]
    assert [(r["date"], r["title"], r["source"]) for r in results] == [
        ("1970-01-01T00:00:00", "T\u00e9", None), ("1970-01-02T00:00:00", "\ufffd", 1.5)]
    out = tmp_path / "out.jsonl"
    assert io.write_jsonl(results, out) == 2 and "NaN" not in out.read_text()
    import numpy as np

    assert io.json_safe([np.int64(5), np.bool_(True), np.array([1.5, np.nan]), {"b"}]) == [5, True, [1.5, None],
                                                                                            ["b"]]


def test_an_input_field_named_error_does_not_stop_processing(rules_pipeline):
    [r] = around_good(rules_pipeline, {"id": "e", "text": GOOD, "error": "scraper: retried once"})
    assert r.error is None and len(r.statements) == 1


def test_nul_characters_become_spaces_with_a_warning(rules_pipeline):
    [r] = around_good(rules_pipeline, {"id": "nul", "text": GOOD.replace(" to them", "\0 to them\0")})
    assert r.meta["warning"] == "NUL characters replaced with spaces" and len(r.statements) == 1
    assert r.statements[0].speaker_mention.text == "the minister"


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes")
def test_a_file_name_that_is_not_utf8_gets_a_readable_id(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as fh:
        fh.write(GOOD.encode())
    rows = list(io.read_records([tmp_path]))
    assert [r["id"] for r in rows] == ["a", "caf\ufffd"]
    assert rows[1]["warning"] == "the file name is not UTF-8: U+FFFD in the id"
    io.write_jsonl(rows, tmp_path / "out.jsonl")  # writable


def test_outputs_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        io.write_jsonl([{"id": "a"}], tmp_path / "open.jsonl")
        os.umask(0o077)
        io.write_jsonl([{"id": "a"}], tmp_path / "private.jsonl")
    finally:
        assert os.umask(old) == 0o077  # writing left the umask alone
    assert (tmp_path / "open.jsonl").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "private.jsonl").stat().st_mode & 0o777 == 0o600


def test_parquet_with_wrong_schema_or_corrupt_bytes(tmp_path):
    ints = tmp_path / "ints.parquet"
    pq.write_table(pa.table({"id": [1], "text": [5]}), ints)
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 this is not parquet")
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "g", "text": "ok"}\n')
    rows = list(io.read_records([ints, corrupt, good]))
    assert rows[0]["error"] == f"Parquet file {ints}: column 'text' is int64, not string (columns: ['id', 'text'])"
    assert rows[1]["error"].startswith(f"cannot read Parquet file {corrupt}: ")
    assert rows[2] == {"id": "g", "text": "ok"}


def test_unreadable_inputs_are_error_records(tmp_path):
    not_a_file = tmp_path / "dir.jsonl"
    not_a_file.mkdir()
    broken = tmp_path / "broken.jsonl"
    broken.symlink_to(tmp_path / "gone.jsonl")
    cut = tmp_path / "cut.jsonl.gz"
    full = gzip.compress(b"".join(b'{"id": "%d", "text": "ok"}\n' % i for i in range(2000)))
    cut.write_bytes(full[:len(full) // 2])
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    rows = list(io.read_records([not_a_file, broken, cut, good]))
    assert rows[0] == {"id": str(not_a_file), "error": f"input directory {not_a_file} holds no .txt files"}
    assert rows[1] == {"id": str(broken), "error": f"input {broken} does not exist"}
    cut_rows = rows[2:-1]
    assert cut_rows[0]["id"] == "0" and cut_rows[-1]["error"].startswith(f"cannot read {cut}: ")
    assert rows[-1] == {"id": "good", "text": GOOD}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_permissions(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD)
    locked.chmod(0)
    [row] = io.read_records([locked])
    assert row["error"].startswith(f"cannot read {locked}: ")


# -- model directories -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A complete model directory: a randomly initialised one-layer BERT with an eight-word vocabulary."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    d = tmp_path_factory.mktemp("model")
    (d / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "we", "will", "talk"]))
    labels = dict(enumerate(stance.LABELS))
    config = BertConfig(vocab_size=8, hidden_size=8, num_hidden_layers=1, num_attention_heads=1,
                        intermediate_size=8, max_position_embeddings=32, num_labels=4, id2label=labels,
                        label2id={v: k for k, v in labels.items()})
    BertForSequenceClassification(config).save_pretrained(d, safe_serialization=True)
    BertTokenizerFast(vocab_file=str(d / "vocab.txt")).save_pretrained(d)
    return d


def copy_of(model: Path, dst: Path, without: tuple[str, ...] = ()) -> Path:
    dst.mkdir()
    for f in model.iterdir():
        if f.name not in without:
            (dst / f.name).write_bytes(f.read_bytes())
    return dst


def test_complete_tiny_model_loads_without_a_progress_bar(tiny_model, capfd):
    capfd.readouterr()
    clf = stance.load_classifier(tiny_model)
    assert "Loading weights" not in capfd.readouterr().err  # `stance extract --quiet` prints nothing
    assert len(clf.predict([Query("we will talk")])) == 1


@pytest.mark.parametrize("missing, message", [
    ("config.json", "missing config.json"),
    ("model.safetensors", "missing model.safetensors"),
    ("tokenizer", "missing tokenizer files"),
])
def test_incomplete_model_directory_names_the_missing_file(tiny_model, tmp_path, missing, message):
    names = ("tokenizer.json", "tokenizer_config.json", "vocab.txt") if missing == "tokenizer" else (missing,)
    d = copy_of(tiny_model, tmp_path / "m", without=names)
    with pytest.raises(FileNotFoundError, match=message):
        stance.load_classifier(d)


def test_truncated_or_corrupt_files_are_clear_errors(tiny_model, tmp_path):
    cut = copy_of(tiny_model, tmp_path / "cut")
    weights = cut / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])
    with pytest.raises(ValueError, match=f"model weights {weights} are corrupt or truncated"):
        stance.load_classifier(cut)
    bad_tok = copy_of(tiny_model, tmp_path / "tok")
    (bad_tok / "tokenizer.json").write_text('{"version": ')
    with pytest.raises(ValueError, match=f"cannot load the tokenizer files of {bad_tok}"):
        stance.load_classifier(bad_tok)
    bad_meta = copy_of(tiny_model, tmp_path / "meta")
    (bad_meta / "stance.json").write_text("{")
    with pytest.raises(ValueError, match="stance.json is not valid JSON"):
        stance.load_classifier(bad_meta)


def test_pickle_weights_refused_unless_allowed(tiny_model, tmp_path):
    import torch
    from safetensors.torch import load_file

    d = copy_of(tiny_model, tmp_path / "bin", without=("model.safetensors",))
    torch.save(load_file(tiny_model / "model.safetensors"), d / "pytorch_model.bin")
    with pytest.raises(FileNotFoundError, match=r"missing model.safetensors \(found pickle-based weights "
                                                r"\['pytorch_model.bin'\]: refused unless allow_pickle=True"):
        stance.load_classifier(d)
    clf = stance.load_classifier(d, allow_pickle=True)
    assert isinstance(clf, TransformerClassifier) and clf.predict([Query("we will talk")])


class _Payload:
    def __reduce__(self):
        return (open, (os.environ["STANCE_TEST_MARKER"], "w"))


def test_allowed_pickle_still_runs_no_code(tiny_model, tmp_path, monkeypatch):
    marker = tmp_path / "pickle-ran"
    monkeypatch.setenv("STANCE_TEST_MARKER", str(marker))
    d = copy_of(tiny_model, tmp_path / "evil", without=("model.safetensors",))
    with open(d / "pytorch_model.bin", "wb") as fh:
        pickle.dump({"weight": _Payload()}, fh, protocol=2)
    with pytest.raises(ValueError, match="pytorch_model.bin holds more than tensors and is refused"):
        stance.load_classifier(d, allow_pickle=True)
    assert not marker.exists()


def test_remote_code_in_a_model_directory_is_never_run(tiny_model, tmp_path):
    marker = tmp_path / "remote-code-ran"
    d = copy_of(tiny_model, tmp_path / "auto_map")
    (d / "custom.py").write_text(f"open({str(marker)!r}, 'w').close()\n"
                                 "from transformers import BertForSequenceClassification as Custom\n")
    config = json.loads((d / "config.json").read_text())
    config["auto_map"] = {"AutoConfig": "custom.Custom", "AutoModelForSequenceClassification": "custom.Custom"}
    (d / "config.json").write_text(json.dumps(config))
    clf = stance.load_classifier(d)  # a known model_type: our own class is used, custom.py is not imported
    assert type(clf.engine.model).__module__.startswith("transformers.models.bert")
    config["model_type"] = "custom-only"
    (d / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="contains custom code"):
        stance.load_classifier(d)  # an unknown model_type needs remote code: refused
    assert not marker.exists()
    check_model_dir(d)  # the directory itself is complete


def test_cli_reports_a_corrupt_model_and_exits_2(tiny_model, tmp_path):
    d = copy_of(tiny_model, tmp_path / "cut")
    (d / "model.safetensors").write_bytes(b"\x00" * 10)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    r = subprocess.run([sys.executable, "-m", "stance.cli", "classify", "-", "--model", str(d)], input="",
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 2 and f"model weights {d / 'model.safetensors'} are corrupt or truncated" in r.stderr


@pytest.mark.parametrize("settings, message", [
    ({"batch_size": 0}, "batch_size must be a whole number of at least 1, not 0"),
    ({"max_tokens": -1}, "max_tokens must be a whole number of at least 1, not -1"),
    ({"batch_size": "64"}, "batch_size must be a whole number of at least 1, not '64'"),
    ({"device": "gpu"}, "device must be 'auto' or one torch knows ('cpu', 'cuda', 'cuda:1', 'mps', ...), not 'gpu'"),
])
def test_the_python_api_refuses_what_the_cli_refuses(settings, message):
    with pytest.raises(ValueError) as err:
        stance.load("rules", **settings)
    assert str(err.value) == message


def test_a_limit_in_the_environment_that_is_no_positive_number_is_one_clear_error():
    for value in ("abc", "-1"):
        r = subprocess.run([sys.executable, "-c", "import stance"], capture_output=True, text=True,
                           env={**os.environ, "STANCE_MAX_CHARS": value})
        assert r.returncode == 1 and f"STANCE_MAX_CHARS must be a whole number of at least 1, not '{value}'" in r.stderr


def test_binary_files_are_error_records_and_utf16_text_is_read(tmp_path):
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "wide.txt").write_bytes(GOOD.encode("utf-16"))
    (tmp_path / "wider.txt").write_bytes(GOOD.encode("utf-32"))
    (tmp_path / "short.txt").write_bytes(b"Yes.\x1a")
    (tmp_path / "cyrillic.txt").write_bytes("Министр сказал, что готов к переговорам.".encode("cp1251"))
    noise, wide, wider, short, cyrillic = io.read_records(
        [tmp_path / f"{n}.txt" for n in ("noise", "wide", "wider", "short", "cyrillic")])
    assert noise == {"id": "noise", "error": f"{tmp_path / 'noise.txt'} does not look like text (binary data?)"}
    assert wide == {"id": "wide", "text": GOOD} and wider == {"id": "wider", "text": GOOD}
    assert short["text"] == "Yes.\x1a"  # too short to call binary
    assert cyrillic["warning"].startswith("invalid UTF-8 at byte 0")  # a legacy encoding: text, with a warning


def test_a_byte_order_mark_inside_the_text_becomes_a_space_with_a_warning(rules_pipeline):
    inside, leading = around_good(rules_pipeline, {"text": GOOD.replace(" to them", "\ufeff to them")},
                                  {"text": "\ufeff" + GOOD})
    assert inside.meta["warning"] == "byte-order marks (U+FEFF) inside the text replaced with spaces"
    assert "warning" not in leading.meta and leading.statements[0].start == 2


def test_a_utf8_byte_order_mark_is_dropped_from_a_txt_file_as_utf16s_is(tmp_path):
    (tmp_path / "u8.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    (tmp_path / "u16.txt").write_bytes(GOOD.encode("utf-16"))
    assert [r["text"] for r in io.read_records([tmp_path])] == [GOOD, GOOD]


def test_a_directory_reads_its_txt_files_and_warns_of_the_files_it_skips(tmp_path):
    (tmp_path / "a.TXT").write_text(GOOD)
    (tmp_path / "notes.md").write_text(GOOD)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    with pytest.warns(UserWarning, match=r"1 files that are not \.txt skipped \(notes\.md\)"):
        rows = list(io.read_records([tmp_path]))
    assert rows[0] == {"id": "a", "text": GOOD}
    assert rows[1]["id"] == "gone" and rows[1]["error"].startswith("cannot read")
    os.mkfifo(tmp_path / "pipe.txt")  # no file: reading it would wait for a writer forever
    with pytest.warns(UserWarning):
        assert [r["id"] for r in io.read_records([tmp_path])] == ["a", "gone"]


def test_a_json_error_names_its_column_and_json_types_their_json_names(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "b", "text": "oops\n\nnull\n[1]\n{"id": 1, "text": "abc"\n')
    rows = list(io.read_records([src]))
    assert rows[0]["error"] == f"line 1 of {src} is not JSON: Unterminated string starting at character 21"
    assert [r["error"] for r in rows[1:3]] == [f"line 3 of {src} is a JSON null, not an object",
                                               f"line 4 of {src} is a JSON array, not an object"]
    assert rows[3]["error"] == f"line 5 of {src} is not JSON: Expecting ',' delimiter at character 24"
