"""Readers and writers for archives: .txt files, directories of them, JSONL(.gz), Parquet, stdin; and the
checks every record's text goes through before parsing (``prepare_text``).

Readers yield plain records ``{"id", "text", ...}``; a line, row or file that cannot be read becomes a record
with an ``error`` (never a crash and never a silent drop). A record without an id gets its place as id
(``FILE:LINE`` for JSONL, ``FILE:ROW`` for Parquet, the file stem for a .txt file, the path under the
directory without ".txt" for a directory's files: "politics/001"); a repeated id is kept and its
record gets a ``warning``. Writers write to a temporary file and rename it when done, so an output file is
either complete or absent.
"""
from __future__ import annotations

import codecs
import gzip
import html
import json
import math
import os
import re
import secrets
import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from .settings import MAX_LINE_BYTES

Record = dict[str, Any]
RESULT_SCHEMA = pa.schema([("id", pa.string()), ("statements", pa.string()), ("error", pa.string()),
                          ("meta", pa.string())])


JSON_LINES = (".jsonl", ".jsonl.gz", ".json.gz", ".ndjson", ".ndjson.gz")
# file types read as nothing else: a plain-text reading of them would be bytes taken for an article
UNREADABLE = (".gz", ".bz2", ".xz", ".zst", ".zip", ".tar", ".7z", ".json", ".pdf", ".doc", ".docx", ".csv", ".tsv",
              ".xls", ".xlsx", ".odt", ".rtf", ".arrow", ".feather", ".avro", ".db", ".sqlite")


def read_records(inputs: Iterable[str | Path]) -> Iterator[Record]:
    """Records from every input, in order: a .txt file is one article (id = file stem)."""
    return flag_duplicate_ids(_records(inputs))


def _records(inputs: Iterable[str | Path]) -> Iterator[Record]:
    for item in inputs:
        name = str(item)
        low = name.lower()
        if name == "-":
            yield from _jsonl_lines(sys.stdin.buffer, "<stdin>")
            continue
        path = Path(name)
        if not path.exists():
            yield {"id": name, "error": f"input {name} does not exist"}
        elif path.is_dir():
            entries = sorted(p for p in path.rglob("*") if p.is_file() or (p.is_symlink() and not p.exists()))
            children = [p for p in entries if p.suffix.lower() == ".txt"]  # a broken link too: its error record
            if len(children) < len(entries):
                skipped = [p.relative_to(path).as_posix() for p in entries if p.suffix.lower() != ".txt"]
                warnings.warn(f"input directory {name}: {len(skipped)} files that are not .txt skipped "
                              f"({', '.join(skipped[:3])}{', ...' if len(skipped) > 3 else ''})", stacklevel=2)
            if not children:
                yield {"id": name, "error": f"input directory {name} holds no .txt files"}
            for child in children:
                yield read_text_file(child, child.relative_to(path).with_suffix("").as_posix())
        elif low.endswith(JSON_LINES):
            opener = gzip.open if low.endswith(".gz") else open
            try:
                with opener(path, "rb") as fh:
                    yield from _jsonl_lines(fh, name)
            except (OSError, EOFError) as exc:
                yield {"id": name, "error": f"cannot read {name}: {exc}"}
        elif low.endswith(".parquet"):
            yield from _parquet_rows(path)
        elif low.endswith(UNREADABLE):
            yield {"id": name, "error": f"input {name} is of a type not read: pass .txt files, a directory of "
                                        f"them, JSON lines (.jsonl, .jsonl.gz, .ndjson) or .parquet"}
        else:
            yield read_text_file(path)


def id_text(value: Any) -> str:
    """An id as text: strings and numbers as ``str`` gives them, objects and lists as compact JSON (keys
    sorted)."""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(json_safe(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def flag_duplicate_ids(records: Iterable[Record]) -> Iterator[Record]:
    """The records unchanged, except that a record whose id came before gets a "duplicate id" warning."""
    seen: set[int] = set()  # hashes, not ids: millions of records stay small (a false alarm needs ~2**32 ids)
    for record in records:
        key = hash(id_text(record.get("id")))
        if key in seen:
            add_warning(record, f"duplicate id {record.get('id')!r}: processed again as a separate record")
        seen.add(key)
        yield record


def add_warning(record: Record, message: str) -> None:
    """Append a message to the record's ``warning`` ("; " between messages)."""
    record["warning"] = f"{record['warning']}; {message}" if record.get("warning") else message


def read_text_file(path: Path, id: str | None = None) -> Record:
    """One article from a text file (UTF-8, or UTF-16/32 with its byte-order mark; binary data is an error); its
    id is ``id``, else the file stem (bytes of a file name that are not UTF-8 become U+FFFD, with a warning)."""
    record: Record = {"id": replace_surrogates(id or path.stem)}
    if record["id"] != (id or path.stem):
        add_warning(record, "the file name is not UTF-8: U+FFFD in the id")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return {**record, "error": replace_surrogates(f"cannot read {path}: {exc}")}
    wide = next((c for bom, c in _WIDE_BOMS if raw.startswith(bom)), None)
    if wide is not None:  # Windows tools write UTF-16 "Unicode" text
        text = raw.decode(wide, errors="replace")
        if "\ufffd" in text:
            add_warning(record, f"invalid {wide.upper()} replaced with U+FFFD")
    else:  # a UTF-8 byte-order mark goes too, as the UTF-16/32 decoders drop theirs: offsets index the text
        text = _decode(raw.removeprefix(codecs.BOM_UTF8), record, "")
    if _binary(text):
        return {"id": record["id"], "error": replace_surrogates(f"{path} does not look like text (binary data?)")}
    record["text"] = text
    return record


_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
              (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32's little-endian mark starts with UTF-16's


def _binary(text: str, sample: int = 4096) -> bool:
    """Whether over a twentieth of the text's first characters (at least 64 of them) are control characters:
    text in a legacy encoding has U+FFFD for its letters, but no controls."""
    head = text[:sample]
    controls = sum(1 for ch in head if ch < " " and ch not in "\t\n\r\f\v")
    return len(head) >= 64 and controls > len(head) / 20


def _decode(raw: bytes, record: Record, where: str) -> str:
    """UTF-8 text of raw bytes; invalid bytes become U+FFFD and the record gets a warning."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        add_warning(record, f"invalid UTF-8 at byte {exc.start}{where} replaced with U+FFFD")
        return raw.decode("utf-8", errors="replace")


def _lines(fh: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """The lines of a binary file; a line longer than ``limit`` bytes comes as None, never held whole."""
    while line := fh.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


def _jsonl_lines(fh: IO[bytes], name: str, max_bytes: int = MAX_LINE_BYTES) -> Iterator[Record]:
    for n, raw in enumerate(_lines(fh, max_bytes), 1):
        where = f"line {n} of {name}"
        if raw is None:
            yield {"id": f"{name}:{n}", "error": f"{where} is longer than the limit of {max_bytes:,} bytes "
                                                 f"(STANCE_MAX_LINE_BYTES); skipped"}
            continue
        if not raw.strip():
            continue
        notes: Record = {}  # warnings found before the record exists
        line = _decode(raw.removeprefix(b"\xef\xbb\xbf") if n == 1 else raw, notes, f" of line {n}")
        try:
            record = json.loads(line.rstrip("\r\n"))  # (an error's position then counts on the line)
        except (ValueError, RecursionError) as exc:  # also nesting too deep, an integer of over 4,300 digits
            why = (f"{exc.msg.removesuffix(' at')} at character {exc.pos + 1}" if isinstance(exc, json.JSONDecodeError)
                   else str(exc))
            yield {"id": f"{name}:{n}", "error": f"{where} is not JSON: {why}"}
            continue
        if not isinstance(record, dict):
            yield {"id": f"{name}:{n}", "error": f"{where} is a JSON {_JSON_TYPES[type(record)]}, not an object"}
            continue
        if record.get("id") is None:
            record["id"] = f"{name}:{n}"
        for key, value in record.items():
            if isinstance(value, str) and _SURROGATE.search(value):
                record[key] = replace_surrogates(value)
                add_warning(notes, f"lone surrogate code points in {key!r} replaced with U+FFFD")
        if notes:
            add_warning(record, notes["warning"])
        yield record


def _parquet_rows(path: Path) -> Iterator[Record]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        yield {"id": str(path), "error": f"cannot read Parquet file {path}: {exc}"}
        return
    schema = pf.schema_arrow
    if "text" not in schema.names:
        yield {"id": str(path), "error": f"Parquet file {path} has no 'text' column (columns: {schema.names})"}
        return
    text_type = schema.field("text").type
    if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
        yield {"id": str(path), "error": f"Parquet file {path}: column 'text' is {text_type}, not string "
                                         f"(columns: {schema.names})"}
        return
    n = 0
    try:
        for batch in pf.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                n += 1
                row["id"] = f"{path}:{n}" if row.get("id") is None else id_text(row["id"])
                yield row
    except Exception as exc:  # a corrupt row group: the rows before it are out, the rest is one error
        yield {"id": f"{path}:{n + 1}", "error": f"cannot read Parquet file {path} after row {n}: {exc}"}


# -- record text ---------------------------------------------------------------------------------------------
_SURROGATE = re.compile("[\ud800-\udfff]")
_STARTS_WITH_TAG = re.compile(r"\s*<")
_HTML_HINT = re.compile(r"<html|<br\s*/?>|</(?:p|div|body|article|section|span|a|li|h[1-6])\s*>", re.I)
_MARKUP_START = re.compile(r"<!--|<(script|style)\b|<[!?/]?[a-z]|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)
_BLOCK = re.compile(r"<(?:script|style|/?(?:p|div|br|hr|h[1-6]|li|ul|ol|tr|table|blockquote|article|section|header"
                    r"|footer|title|head|body|html|figure|figcaption))\b", re.I)
_ENGLISH = frozenset("the of and to a in is that for on with was said he she it as by at from be has have are not "
                     "they we will his her this an but had been would".split())


def prepare_text(text: str, fmt: str | None = None, max_chars: int | None = None) -> tuple[str, list[str]]:
    """The text to parse, and warnings. Offsets into it index ``text`` itself: it is the same text, cut
    before ``max_chars`` when longer (at a paragraph or sentence end when one is near).

    HTML (``fmt="html"``, or text that ``looks_like_html``, unless ``fmt="text"``) is blanked out: tags,
    comments, scripts and styles become spaces (block tags a line break) and entities their character padded
    with spaces. Lone surrogates become U+FFFD, and a byte-order mark or a NUL a space (with a warning, but for
    a mark that leads the text)."""
    notes: list[str] = []
    if "\ufeff" in text[1:]:  # a byte-order mark (one leading a text is no news) is never part of a name
        notes.append("byte-order marks (U+FEFF) inside the text replaced with spaces")
    text = text.replace("\ufeff", " ")
    if "\0" in text:  # the tokenizer would glue it to the words around it
        text = text.replace("\0", " ")
        notes.append("NUL characters replaced with spaces")
    if _SURROGATE.search(text):
        text = replace_surrogates(text)
        notes.append("lone surrogate code points replaced with U+FFFD")
    if fmt == "html" or (fmt != "text" and looks_like_html(text)):
        text = blank_markup(text)
        notes.append("HTML markup blanked out; offsets index the original HTML")
    if max_chars is not None and len(text) > max_chars:
        cut = truncate(text, max_chars)
        notes.append(f"text truncated from {len(text):,} to {len(cut):,} characters (limit {max_chars:,}, "
                        "STANCE_MAX_CHARS)")
        text = cut
    if not text or text.isspace():
        notes.append("empty text")
    elif not looks_english(text):
        notes.append("text does not look like English; the models are English-only")
    return text, notes


def replace_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def truncate(text: str, max_chars: int) -> str:
    """The text cut to at most ``max_chars``: at the last paragraph, else sentence, end in the last 10,000
    characters before the limit, else at the limit."""
    floor = max(0, max_chars - 10_000)
    for boundary, keep in (("\n", 0), (". ", 1)):
        cut = text.rfind(boundary, floor, max_chars)
        if cut != -1:
            return text[:cut + keep]
    return text[:max_chars]


def looks_like_html(text: str) -> bool:
    """Text that starts with a tag and has a paragraph or line-break tag, or has two of them anywhere
    ("BREAKING <p>...</p><p>...</p>")."""
    hints = _HTML_HINT.finditer(text)
    first, second = next(hints, None), next(hints, None)
    return first is not None and (second is not None or _STARTS_WITH_TAG.match(text) is not None)


def blank_markup(text: str) -> str:
    """HTML with its markup replaced by whitespace of the same length (see ``prepare_text``), in linear time
    whatever the input (an unclosed comment, script or tag is left as it is)."""
    low = text.lower()
    next_at: dict[str, int] = {}

    def find(closer: str, at: int) -> int:
        """The end of the next ``closer`` at or after ``at``, or -1; cached, so no part is searched twice."""
        found = next_at.get(closer, -2)
        if found != -1 and found < at:
            found = next_at[closer] = low.find(closer, at)
        return -1 if found == -1 else found + len(closer)

    parts: list[str] = []
    pos = 0
    while m := _MARKUP_START.search(text, pos):
        opener = m.group()
        if opener[0] == "&":
            char = html.unescape(opener)
            end, blank = m.end(), " " if char == "\xa0" else char
        else:
            end = find("-->" if opener == "<!--" else f"</{m.group(1).lower()}" if m.group(1) else ">", m.end())
            if end != -1 and m.group(1):
                end = find(">", end)  # the end of </script ...>
            if end == -1:
                parts.append(text[pos:m.end()])
                pos = m.end()
                continue
            blank = "\n" if _BLOCK.match(text, m.start()) else " "
        parts += [text[pos:m.start()], blank.ljust(end - m.start())]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def looks_english(text: str) -> bool:
    """A cheap guess: False when most letters are not ASCII or too few words are common English words."""
    sample = text[:20_000]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < 20:
        return True  # too short to tell
    if sum(c.isascii() for c in letters) < 0.5 * len(letters):
        return False
    words = re.findall(r"[a-z]+", sample.lower())
    common = sum(w in _ENGLISH for w in words)
    if len(letters) < 100:  # a sentence: English of eight words or more uses at least one common word
        return common > 0 or len(words) < 8
    return common >= 0.1 * len(words)


@contextmanager
def atomic_output(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """A file handle whose content appears at ``path`` only when the block finishes ("-" is stdout)."""
    if str(path) == "-":
        yield sys.stdout
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_file(target)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _new_file(target: Path) -> tuple[int, str]:
    """A new hidden file beside ``target``, opened for writing, with the permissions the umask gives an
    ordinary file (``mkstemp`` would make it 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = str(target.parent / f".{target.name}.{secrets.token_hex(6)}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def follow_umask(directory: Path) -> None:
    """Give the safetensors weights in ``directory`` that were written 0600 (``save_pretrained`` writes them
    through a private temporary file) the permissions the umask gives an ordinary new file, as the other files
    of the model have."""
    fd, probe = _new_file(directory / "umask")
    try:
        mode = os.fstat(fd).st_mode & 0o777
    finally:
        os.close(fd)
        os.unlink(probe)
    for f in directory.glob("*.safetensors"):
        if f.is_file() and f.stat().st_mode & 0o777 == 0o600:
            f.chmod(mode)


def json_safe(value: Any) -> Any:
    """A field value as JSON can hold it: dates and times in ISO 8601, bytes as UTF-8 text, NaN and infinities
    as null, NumPy values as Python's, containers element-wise, anything else JSON cannot hold as its ``str``."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "tolist"):  # NumPy scalars and arrays
        return json_safe(value.tolist())
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_jsonl(records: Iterable[Record], path: str | Path) -> int:
    n = 0
    with atomic_output(path) as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_parquet(records: Iterable[Record], path: str | Path, rows_per_group: int = 1000) -> int:
    """Results as Parquet: id, error and the statements as a JSON string column (a stable schema)."""
    import pyarrow.parquet as pq

    n = 0
    with atomic_output(path, "wb") as fh:
        writer = pq.ParquetWriter(fh, RESULT_SCHEMA)
        rows: list[Record] = []
        for r in records:
            rows.append(parquet_row(r))
            n += 1
            if len(rows) >= rows_per_group:
                writer.write_table(pa.Table.from_pylist(rows, RESULT_SCHEMA))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, RESULT_SCHEMA))
        writer.close()
    return n


def parquet_row(record: Record) -> Record:
    """A result record as a row of ``RESULT_SCHEMA``: statements and the other fields as JSON strings."""
    meta = {k: v for k, v in record.items() if k not in ("id", "statements", "error")}
    return {"id": record["id"], "statements": json.dumps(record.get("statements", []), ensure_ascii=False),
            "error": record.get("error"), "meta": json.dumps(meta, ensure_ascii=False)}


def write_parquet_parts(parts: Iterable[str | Path], path: str | Path) -> int:
    """Join Parquet files written by ``write_parquet`` into one, a row group at a time."""
    import pyarrow.parquet as pq

    n = 0
    with atomic_output(path, "wb") as fh:
        writer = pq.ParquetWriter(fh, RESULT_SCHEMA)
        for part in parts:
            pf = pq.ParquetFile(part)
            for i in range(pf.num_row_groups):
                table = pf.read_row_group(i)
                writer.write_table(table)
                n += table.num_rows
        writer.close()
    return n


def is_parquet(path: str | Path) -> bool:
    return str(path).lower().endswith(".parquet")


def read_results(path: str | Path) -> Iterator[Record]:
    """Read back what ``write_jsonl`` or ``write_parquet`` wrote; a file that is not such output (the input
    articles, say) is a ValueError that says so, at its first record."""
    if is_parquet(path):
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        if not {"id", "statements", "error"} <= set(table.column_names):
            raise ValueError(f"{path}: not the output of `stance extract` (no statements column); run "
                             "`stance extract` on the articles first")
        for row in table.to_pylist():
            meta = json.loads(row.pop("meta", None) or "{}")
            yield {"id": row["id"], "statements": json.loads(row["statements"]), "error": row["error"], **meta}
    else:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"{path}, line {n}: not JSON ({exc})") from None
                if not isinstance(record, dict) or not isinstance(record.get("statements"), list):
                    raise ValueError(f"{path}, line {n}: not the output of `stance extract` (no statements "
                                     "list); run `stance extract` on the articles first")
                yield record

