"""Conversations that last: each one a JSON file under `<index>/conversations/<owner>/`.

Why on the server, beside the index, and not in the browser's localStorage (gr.BrowserState):
the archive is the user's own, on their own machine, and so are the questions they ask about it;
a daily user opens the app from more than one browser or device (with a login, from the phone
too) and expects yesterday's conversations there, not only in the browser that asked; clearing
a browser's data must not lose them; and localStorage holds ~5 MB, about a hundred answers with
their quotes.  The browser keeps only which conversation it had open (a BrowserState holding
an id), so a reload shows it again.  With a login, each user has their own folder.

Each Turn keeps the whole Answer (its `--json` shape) or Brief, so a reopened conversation
shows the same markers, sources and quotes, and exports are exact.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.answer import Answer, Citation, Lead
from assistant.briefing import Brief, render_brief_markdown
from assistant.condense import Message
from assistant.filters import Filters
from ingest.errors import NewsdeskError

ANSWER, BRIEF, ERROR = "answer", "brief", "error"
TITLE_CHARS = 80
_ID = re.compile(r"^[0-9a-f]{16}$")  # ids come back from the browser: never a path


class ConversationError(NewsdeskError):
    """A conversation could not be saved, read or deleted (one line, naming the folder)."""


def now_iso(precise: bool = False) -> str:
    """UTC now, ISO; `precise` adds microseconds (the list sorts by it: two saves in a second)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ" if precise else "%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Turn:
    """One question and what answered it: an Answer, a Brief, or an error message."""

    question: str
    kind: str = ANSWER
    answer: Answer | None = None
    brief: Brief | None = None
    error: str = ""
    filters: Filters = field(default_factory=Filters)
    asked_at: str = field(default_factory=now_iso)
    followups: list[str] = field(default_factory=list)

    @property
    def citations(self) -> list[Citation]:
        if self.answer is not None:
            return list(self.answer.citations)
        return list(self.brief.citations) if self.brief is not None else []

    @property
    def leads(self) -> list[Lead]:
        return list(self.answer.leads) if self.answer is not None else []

    @property
    def reply(self) -> str:
        """The reply as plain text, as the assistant reads it back for follow-ups."""
        if self.answer is not None:
            return self.answer.answer
        return render_brief_markdown(self.brief) if self.brief is not None else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "kind": self.kind,
            "asked_at": self.asked_at,
            "filters": {"since": self.filters.since, "until": self.filters.until, "sources": list(self.filters.sources)},
            "answer": self.answer.to_dict() if self.answer is not None else None,
            "brief": self.brief.to_dict() if self.brief is not None else None,
            "error": self.error,
            "followups": list(self.followups),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Turn":
        kept = data.get("filters") or {}
        return cls(
            question=str(data.get("question", "")),
            kind=str(data.get("kind", ANSWER)),
            answer=Answer.from_dict(data["answer"]) if data.get("answer") else None,
            brief=Brief.from_dict(data["brief"]) if data.get("brief") else None,
            error=str(data.get("error", "")),
            filters=Filters(str(kept.get("since", "")), str(kept.get("until", "")), tuple(kept.get("sources", ()))),
            asked_at=str(data.get("asked_at", "")),
            followups=[str(q) for q in data.get("followups", [])],
        )


@dataclass
class Conversation:
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    title: str = ""
    created: str = field(default_factory=now_iso)
    updated: str = ""
    turns: list[Turn] = field(default_factory=list)

    def add(self, turn: Turn) -> "Conversation":
        """A copy with one more turn (gr.State values are replaced, not mutated in place)."""
        title = self.title or " ".join(turn.question.split())[:TITLE_CHARS]
        return Conversation(self.id, title, self.created, now_iso(precise=True), [*self.turns, turn])

    def history(self) -> list[Message]:
        """The conversation as the assistant reads it: [{"role", "content"}] with plain text."""
        messages: list[Message] = []
        for turn in self.turns:
            if turn.kind != ERROR:
                messages.append({"role": "user", "content": turn.question})
                messages.append({"role": "assistant", "content": turn.reply})
        return messages

    def asked(self) -> list[str]:
        """Every question so far, as typed and as the assistant understood it."""
        asked = [t.question for t in self.turns]
        asked += [t.answer.standalone_question for t in self.turns if t.answer is not None and t.answer.standalone_question]
        return asked

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "created": self.created, "updated": self.updated,
                "turns": [t.to_dict() for t in self.turns]}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Conversation":
        return cls(str(data["id"]), str(data.get("title", "")), str(data.get("created", "")), str(data.get("updated", "")),
                   [Turn.from_dict(t) for t in data.get("turns", [])])  # fmt: skip


@dataclass(frozen=True)
class ConversationInfo:
    """A row of the conversation list."""

    id: str
    title: str
    updated: str
    turns: int

    @property
    def label(self) -> str:
        when = self.updated[:16].replace("T", " ")
        return f"{self.title or 'Untitled'} · {when}"


class ConversationStore:
    """One folder of conversation files; safe to share between the app's threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._listed: dict[str, tuple[float, ConversationInfo]] = {}  # file name -> (mtime, info)

    @classmethod
    def for_index(cls, index_dir: Path, owner: str | None = None) -> "ConversationStore":
        """The store of one user of an index: `local` without a login, else one folder per login."""
        if not owner:
            return cls(index_dir / "conversations" / "local")
        safe = re.sub(r"[^A-Za-z0-9_-]+", "_", owner)[:40]
        return cls(index_dir / "conversations" / f"user-{safe}-{hashlib.sha1(owner.encode()).hexdigest()[:8]}")

    def _path(self, conversation_id: str) -> Path | None:
        return self.root / f"{conversation_id}.json" if _ID.match(conversation_id or "") else None

    def list(self) -> list[ConversationInfo]:
        """Every conversation, most recently updated first (unreadable files are left out)."""
        if not self.root.is_dir():
            return []
        found: list[ConversationInfo] = []
        with self._lock:
            for path in self.root.glob("*.json"):
                try:
                    mtime = path.stat().st_mtime
                    cached = self._listed.get(path.name)
                    if cached is None or cached[0] != mtime:
                        data = json.loads(path.read_text(encoding="utf-8"))
                        info = ConversationInfo(str(data["id"]), str(data.get("title", "")), str(data.get("updated", "")),
                                                len(data.get("turns", [])))  # fmt: skip
                        self._listed[path.name] = cached = (mtime, info)
                    found.append(cached[1])
                except (OSError, ValueError, KeyError, TypeError):
                    continue
        return sorted(found, key=lambda c: (c.updated, c.id), reverse=True)

    def load(self, conversation_id: str) -> Conversation | None:
        path = self._path(conversation_id)
        if path is None or not path.is_file():
            return None
        try:
            return Conversation.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConversationError(f"{path}: cannot read this conversation ({exc})") from exc

    def save(self, conversation: Conversation) -> None:
        """Write atomically (a crash leaves the old file or the new one), readable by the owner only."""
        path = self._path(conversation.id)
        if path is None:
            raise ConversationError(f"{conversation.id!r} is not a conversation id")
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = path.with_suffix(".json.partial")
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(conversation.to_dict(), handle, ensure_ascii=False)
            os.replace(partial, path)
        except OSError as exc:
            raise ConversationError(f"cannot save the conversation in {self.root} ({exc.strerror or exc})") from exc

    def delete(self, conversation_id: str) -> bool:
        path = self._path(conversation_id)
        if path is None:
            return False
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise ConversationError(f"cannot delete {path} ({exc.strerror or exc})") from exc
        with self._lock:
            self._listed.pop(path.name, None)
        return True
