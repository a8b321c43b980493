"""newsdesk assistant: question (+history) -> evidence -> answer with verified [n] citations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.answer import Answer, Citation

__all__ = ["Assistant", "Answer", "Citation"]


def __getattr__(name: str) -> Any:
    # Lazy, so `newsdesk --help` and `newsdesk stats` do not import torch.
    if name == "Assistant":
        from assistant.api import Assistant

        return Assistant
    if name in ("Answer", "Citation"):
        from assistant import answer

        return getattr(answer, name)
    raise AttributeError(name)
