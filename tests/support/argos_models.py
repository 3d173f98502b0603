"""Builds tiny but valid ``.argosmodel`` packages offline, for tests and benchmarks.

A package holds a SentencePiece model trained on generated text, a 1-layer CTranslate2 transformer made from
seeded numpy weights (its output is nonsense, but deterministic), and a bundled spaCy pipeline (``spacy/``, the
multilingual blank pipeline: argostranslate adds its rule-based sentencizer), so argostranslate's real translate
path runs end to end without any download.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np

MODEL_DIM = 16
FFN_DIM = 32
HEADS = 2
VOCAB_SIZE = 80
# Bias towards </s> so the random decoder stops after a few tokens instead of at the length limit.
EOS_BIAS = 4.0

_WORDS = [
    "受付",
    "番号",
    "窓口",
    "住民票",
    "写し",
    "印鑑",
    "登録",
    "証明書",
    "出生",
    "届",
    "転入",
    "転出",
    "手続き",
    "お待ち",
    "ください",
    "本日",
    "明日",
    "number",
    "counter",
    "please",
    "wait",
    "ticket",
    "office",
    "today",
    "tomorrow",
    "document",
    "residence",
    "card",
    "certificate",
    "senha",
    "guichê",
    "aguarde",
    "documento",
    "hoje",
    "amanhã",
]


def training_sentences(seed: int = 7, count: int = 400) -> list[str]:
    """Generated multilingual text for the SentencePiece trainer (deterministic)."""
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(_WORDS, size=int(rng.integers(3, 9)))) + "。" for _ in range(count)]


def train_sentencepiece(seed: int = 7) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_sentences(seed)),
        model_writer=model,
        vocab_size=VOCAB_SIZE,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def build_ctranslate2_model(output_dir: Path, vocabulary: list[str], seed: int) -> None:
    """Save a 1-layer transformer with seeded random weights in CTranslate2 format."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(1, HEADS)
    vocab_size = len(vocabulary)
    d, ff = MODEL_DIM, FFN_DIM

    def shape_for(name: str) -> tuple[int, ...]:
        if name.endswith(("gamma", "beta")):
            return (d,)
        if "embeddings" in name or name.startswith("decoder/projection"):
            return (vocab_size, d)
        if "/ffn/linear_0/" in name:
            return (ff, d)
        if "/ffn/linear_1/" in name:
            return (d, ff)
        if "self_attention/linear_0" in name:
            return (3 * d, d)
        if "/attention/linear_1" in name:
            return (2 * d, d)
        return (d, d)

    def fill(layer: object, name: str, value: object) -> None:
        if value is not None:
            return
        attribute = name.rsplit("/", 1)[-1]
        if attribute == "gamma":
            array = np.ones(shape_for(name), dtype=np.float32)
        elif attribute == "beta":
            array = np.zeros(shape_for(name), dtype=np.float32)
        else:
            array = rng.normal(0.0, 0.5, size=shape_for(name)).astype(np.float32)
        setattr(layer, attribute, array)

    spec._visit(fill)
    bias = np.zeros(vocab_size, dtype=np.float32)
    bias[vocabulary.index("</s>")] = EOS_BIAS
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=None)
    output_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(output_dir))


def spacy_pipeline(folder: Path) -> None:
    """spaCy's multilingual blank pipeline on disk: what argostranslate loads from a package's ``spacy/``."""
    import spacy

    spacy.blank("xx").to_disk(folder)


def build_package(
    output_path: Path,
    from_code: str,
    to_code: str,
    seed: int = 7,
    version: str = "1.0",
    sentence_splitter: bool = True,
) -> Path:
    """Write ``output_path`` (an ``.argosmodel`` zip) translating ``from_code`` → ``to_code``."""
    import sentencepiece as spm

    sp_bytes = train_sentencepiece(seed)
    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocabulary = [processor.id_to_piece(index) for index in range(processor.get_piece_size())]
    root = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
    }
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = Path(scratch) / "model"
        build_ctranslate2_model(model_dir, vocabulary, seed)
        output_path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output_path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{root}/metadata.json", json.dumps(metadata))
            archive.writestr(f"{root}/README.md", "Madoguchi test package: random weights, nonsense output.\n")
            archive.writestr(f"{root}/sentencepiece.model", sp_bytes)
            for file in sorted(model_dir.iterdir()):
                archive.write(file, f"{root}/model/{file.name}")
            if sentence_splitter:
                splitter = Path(scratch) / "spacy"
                spacy_pipeline(splitter)
                for file in sorted(splitter.rglob("*")):
                    if file.is_file():
                        archive.write(file, f"{root}/spacy/{file.relative_to(splitter).as_posix()}")
    return output_path
