"""Briefings: the state of a topic, a dated timeline and what changed, every line cited.

    brief = make_brief(Assistant.open(index=...), BriefRequest("TikTok ban", since="2023-01-01"))
    print(render_brief_markdown(brief))

request.py    what to brief on (BriefRequest), and "brief me on X since August" in a chat
event_dates.py  when a sentence's event happened, resolved against its publication date
facts.py      evidence -> statements -> facts (one event reported by several outlets)
views.py      facts -> summary, timeline, what changed; weekly coverage
briefer.py    the Briefer that runs it all, and its verification against the catalog
model.py      the Brief and its lines (the `--json` shape), BriefConfig
markdown.py   a Brief as Markdown
"""

from assistant.briefing.briefer import Briefer, build_brief, check_brief_backend, make_brief, verify_brief
from assistant.briefing.markdown import render_brief_markdown
from assistant.briefing.model import Brief, BriefConfig, BriefPoint, Change, WeekCoverage
from assistant.briefing.request import BriefRequest, parse_briefing_request
from assistant.briefing.views import weekly_coverage

__all__ = [
    "Brief", "BriefConfig", "BriefPoint", "BriefRequest", "Briefer", "Change", "WeekCoverage", "build_brief",
    "check_brief_backend", "make_brief", "parse_briefing_request", "render_brief_markdown", "verify_brief",
    "weekly_coverage",
]
