"""Use stance as a library: statements of one article, printed and shown as an HTML page.

    python examples/library.py [ARTICLE.txt] [-o page.html]
"""
import argparse
from pathlib import Path

import stance

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("article", nargs="?", default=str(Path(__file__).with_name("meeting.txt")))
ap.add_argument("-o", "--output", default="meeting.html")
args = ap.parse_args()

text = Path(args.article).read_text(encoding="utf-8")
nlp = stance.load()  # the spaCy parser and the shipped classifier
result = nlp(text, id=Path(args.article).stem)
for s in result.statements:
    condition = f"  if: {s.condition.text}" if s.condition else ""
    print(f"{s.speaker or '?':28} {s.stance:11} -> {s.target or '-':24} {s.text[:60]!r}{condition}")
Path(args.output).write_text(stance.render(result, text), encoding="utf-8")
print(f"wrote {args.output}")
