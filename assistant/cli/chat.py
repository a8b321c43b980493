"""`newsdesk chat`: the chat UI on 127.0.0.1 (or elsewhere, only behind a login), until Ctrl-C."""

from __future__ import annotations

import argparse
import time

from assistant.cli.options import (
    assistant_settings,
    index_options,
    listen_options,
    llm_option,
    log_to_stderr,
    open_assistant,
    ui_index_settings,
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("chat", help="open the chat UI in your browser")
    listen_options(p, port=7860)
    llm_option(p)
    index_options(p)
    p.set_defaults(handler=run_chat)


def run_chat(args: argparse.Namespace) -> int:
    from assistant.ui.app import check_exposure, launch_app

    settings = assistant_settings(args)
    login = check_exposure(args.host, settings.auth)  # refused before any model or gradio loads
    from assistant.ui.corpus import corpus_status

    where = ui_index_settings(args)
    log_to_stderr("chat")
    assistant = open_assistant("chat", where, settings)
    app, url = launch_app(assistant, args.host, args.port, login)
    status = corpus_status(assistant.index.catalog).line()
    print(f"newsdesk chat: serving {url} ({status}; index {where.index}); Ctrl-C to stop", flush=True)
    try:
        while app.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        print("newsdesk chat: stopping", flush=True)
    finally:
        # app.close() ends the open event streams before the server, so Ctrl-C stops it in about
        # 2 s; gradio's own block_thread() closes only the server and waits ~5 s more for them.
        app.close(verbose=False)
    return 0
