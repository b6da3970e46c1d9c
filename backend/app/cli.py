"""The `puxian` command: prepare models, build the index, ask, serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence

from app.core.config import Settings, get_settings
from app.core.logging import configure_logging

log = logging.getLogger("puxian")


def _prepare_models(settings: Settings, _: argparse.Namespace) -> int:
    from app.model_prep.prepare import prepare_default_models

    llm, embedding = prepare_default_models(settings.model_cache)
    print(f"LLM:        {llm}\nEmbeddings: {embedding}")
    return 0


def _ingest(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import load_embedder, load_index

    if args.path:
        settings = settings.model_copy(update={"knowledge_dir": args.path})
    index = load_index(settings, load_embedder(settings), rebuild=args.rebuild, show_progress=True)
    print(f"index: {len(index)} chunks in {settings.index_dir}")
    return 0


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import build_services

    question = " ".join(args.question).strip()
    if not question:
        print("error: the question is empty", file=sys.stderr)
        return 2
    services = build_services(settings)
    try:
        answer = services.rag.answer(question, top_k=args.top_k)
    finally:
        services.close()
    if args.json:
        import dataclasses

        print(json.dumps(dataclasses.asdict(answer), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    print("\n来源 / Sources:")
    for source in answer.sources:
        section = f" · {source.section}" if source.section else ""
        print(f"  [{source.number}] {source.title}{section}  ({source.id}, score {source.score:.3f})")
    timings = answer.timings
    print(f"\n检索 {timings['retrieval_ms']:.0f} ms · 总计 {timings['total_ms'] / 1000:.1f} s")
    return 0


def _bench_rag(settings: Settings, args: argparse.Namespace) -> int:
    from app.bench import format_report, run_rag_bench

    print(format_report(run_rag_bench(settings, rounds=args.rounds), args.json))
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.bootstrap import build_services
    from app.main import create_app

    host, port = args.host or settings.host, args.port or settings.port
    log.info("starting on http://%s:%d (loading models first)", host, port)
    app = create_app(settings, services_factory=lambda s: build_services(s, show_progress=True))
    uvicorn.run(app, host=host, port=port, log_config=None)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="puxian", description="Puxian RAG Assistant (莆仙话 RAG 助手)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    prepare = commands.add_parser("prepare-models", help="join, check and convert the default models (once)")
    prepare.set_defaults(run=_prepare_models)

    ingest = commands.add_parser("ingest", help="build or update the index of the knowledge base")
    ingest.add_argument("path", nargs="?", help="knowledge folder (default: PUXIAN_KNOWLEDGE_DIR)")
    ingest.add_argument("--rebuild", action="store_true", help="rebuild even if the index is up to date")
    ingest.set_defaults(run=_ingest)

    ask = commands.add_parser("ask", help="answer one question and print its sources")
    ask.add_argument("question", nargs="+", help="the question, e.g. 如何用莆仙话说“吃饭”？")
    ask.add_argument("--top-k", type=int, default=None, help="passages to retrieve")
    ask.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    ask.set_defaults(run=_ask)

    bench = commands.add_parser("bench", help="measure load times and answer latency")
    bench_kinds = bench.add_subparsers(dest="kind", required=True, metavar="KIND")
    bench_rag = bench_kinds.add_parser("rag", help="answer a fixed set of questions and report latency")
    bench_rag.add_argument("--rounds", type=int, default=1, help="times to ask each of the 10 questions")
    bench_rag.add_argument("--json", action="store_true", help="print the report as JSON")
    bench_rag.set_defaults(run=_bench_rag)

    serve = commands.add_parser("serve", help="serve the API on http://HOST:PORT")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(run=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level, settings.env)
    from app.knowledge.documents import DocumentError
    from app.model_prep.packages import ModelPackageMissing
    from app.model_prep.prepare import ModelNotPrepared, ModelPreparationError

    try:
        return int(args.run(settings, args))
    except (
        ModelNotPrepared,
        ModelPreparationError,
        ModelPackageMissing,
        DocumentError,
        FileNotFoundError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
