"""Follow-up questions -> standalone questions, so retrieval never loses the thread.

Without a language model the rule is simple and predictable: a question that leans on the
conversation (a pronoun like "he"/"they"/"it", or an opener like "And ...", "What about ...")
borrows the subject of the previous standalone question: its names (runs of capitalised words)
replace the pronoun, or are appended when there is nothing to replace.  With an LLM backend the
model rewrites follow-ups with prompts/condense.txt instead, and falls back to these rules when
its rewrite is unusable (LLMAnswerer.condense in assistant/llm/answerer.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Sequence

from assistant.periods import MONTHS, WEEKDAYS
from assistant.text import content_words
from ingest.errors import ConfigError

Message = dict[str, Any]

_QUESTION_WORDS = {"what", "who", "whom", "whose", "which", "when", "where", "why", "how", "did", "does", "do",
                   "is", "are", "was", "were", "can", "could", "will", "would", "should", "has", "have", "had",
                   "and", "but", "so", "then", "also", "tell", "give", "brief", "i", "the", "a", "an", "in", "on",
                   "of", "for", "to", "at", "by", "from", "with", "about", "after", "before", "since", "this", "that",
                   "these", "those", "there", "it", "he", "she", "they", "his", "her", "their", "its", "mr", "mrs", "ms"}
_SUBJECT = re.compile(r"\b(he|she|they)\b", re.I)
_OBJECT = re.compile(r"\b(him|them)\b", re.I)
_POSSESSIVE = re.compile(r"\b(his|their)\b", re.I)
_NEUTER = re.compile(r"\b(it|its|that|this|those|these)\b(?!\s+(?:week|month|year|day|time))", re.I)
_OPENER = re.compile(r"^\s*(and|also|so|then|but|what about|how about|what else|anything else|more on)\b[\s,]*", re.I)
_FILLER = re.compile(r"^\s*(and|also|so|then|but)\b[\s,]*", re.I)


def checked_history(history: object) -> list[Message]:
    """The conversation as a list of {"role", "content"} messages, or a ConfigError saying which
    turn is not one (a batch line or an API call may send anything)."""
    if history is None:
        return []
    if isinstance(history, (str, bytes, Mapping)) or not isinstance(history, Sequence):
        raise ConfigError(f"history must be a list of {{\"role\", \"content\"}} messages, not {_kind(history)}")
    for number, message in enumerate(history, start=1):
        if not isinstance(message, Mapping):
            raise ConfigError(f"history item {number} must be a {{\"role\", \"content\"}} message, not {_kind(message)}")
        if not isinstance(message.get("role", ""), str):
            raise ConfigError(f"history item {number}: 'role' must be text such as \"user\"")
    return [dict(message) for message in history]


def _kind(value: object) -> str:
    return "text" if isinstance(value, str) else "a number" if isinstance(value, (int, float)) else type(value).__name__


def message_text(content: Any) -> str:
    """Chat history content may be a string or a list of parts (Gradio 6): flatten to text."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, Sequence):
        return " ".join(message_text(part) for part in content)
    return str(content or "")


def entities(question: str) -> list[str]:
    """Runs of capitalised words (not sentence-initial question words, months or weekdays)."""
    found: list[str] = []
    for match in re.finditer(r"(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w'’.-]*|of|the|de|von)(?=\s+[A-Z]|\b))*", question):
        words = match.group(0).split()
        while words and (words[0].lower().strip(".'’") in _QUESTION_WORDS or words[0].lower() in {"of", "the", "de", "von"}):
            words.pop(0)
        words = [w for w in words if w.lower().strip(".") not in MONTHS and w.lower() not in WEEKDAYS]
        while words and words[-1].lower() in {"of", "the", "de", "von"}:
            words.pop()
        phrase = " ".join(words).strip(" .,'’")
        phrase = re.sub(r"['’]s$", "", phrase)
        if phrase and phrase not in found:
            found.append(phrase)
    return found


def is_follow_up(question: str) -> bool:
    if _OPENER.match(question):
        return True
    if _SUBJECT.search(question) or _OBJECT.search(question) or _POSSESSIVE.search(question):
        return True
    if _NEUTER.search(question) and not entities(question):
        return True
    return not entities(question) and len(content_words(question)) <= 1


def rewrite(question: str, previous: str) -> str:
    """`question` made standalone using the subject of the `previous` standalone question."""
    names = entities(previous)
    subject = max(names, key=lambda n: (len(n.split()), -names.index(n))) if names else ""
    body = _FILLER.sub("", question).strip()
    body = body[:1].upper() + body[1:] if body else question
    replaced = body
    if subject:
        replaced = _SUBJECT.sub(subject, body, count=1)
        if replaced == body:
            replaced = _POSSESSIVE.sub(f"{subject}'s", body, count=1)
        if replaced == body:
            replaced = _OBJECT.sub(subject, body, count=1)
    if replaced != body:
        return replaced
    # Nothing to substitute: carry the previous topic explicitly.
    topic = ", ".join(names) if names else " ".join(content_words(previous))
    if not topic:
        return body
    return f"{body.rstrip('?. ')} ({topic})?" if body.rstrip().endswith("?") else f"{body} ({topic})"


def standalone(question: str, history: Sequence[Message] = ()) -> str:
    """Replay the user's turns so each follow-up is rewritten against an already-standalone one."""
    previous = ""
    for message in history:
        if message.get("role") != "user":
            continue
        text = message_text(message.get("content")).strip()
        if text:
            previous = rewrite(text, previous) if previous and is_follow_up(text) else text
    if previous and is_follow_up(question):
        return rewrite(question, previous)
    return question
