"""Briefings: an overview of a topic, a dated timeline, the undated evidence and what changed,
every line quoted and cited.

    brief = make_brief(Assistant.open(index=...), BriefRequest("TikTok ban", since="2023-01-01"))
    print(render_brief_markdown(brief))

request.py      what to brief on (BriefRequest), and "brief me on X since August" in a chat
topic.py        the topic's names and words, read against the archive; terms.py matches them,
                aliases.py finds the other names the archive uses (data/countries.tsv)
evidence.py     on-topic articles and their statements anchored to the topic
relevance.py    the relevance gate's pluggable score source (RelevanceScorer) and its default
event_dates.py  when a sentence's event happened, resolved against its publication date
facts.py        statements -> facts (one event, however many outlets reported it)
views.py        facts -> timeline, summary, undated section; weekly coverage
changes.py      what changed, with the difference named; labels.py: a few words per event
numbering.py    one article, one source number; the check against the catalog
briefer.py      the Briefer that runs it all
model.py        the Brief and its lines (the `--json` shape), BriefConfig
markdown.py     a Brief as Markdown; evaluation.py: scoring briefs on a topic set
"""

from assistant.briefing.briefer import Briefer, build_brief, check_brief_backend, make_brief
from assistant.briefing.markdown import render_brief_markdown
from assistant.briefing.model import Brief, BriefConfig, BriefPoint, Change, Difference, WeekCoverage
from assistant.briefing.numbering import verify_brief
from assistant.briefing.relevance import FunctionScorer, MiniLMOverlapScorer, RelevanceScorer
from assistant.briefing.request import BriefRequest, parse_briefing_request
from assistant.briefing.views import weekly_coverage

__all__ = [
    "Brief", "BriefConfig", "BriefPoint", "BriefRequest", "Briefer", "Change", "Difference", "FunctionScorer",
    "MiniLMOverlapScorer", "RelevanceScorer", "WeekCoverage", "build_brief", "check_brief_backend", "make_brief",
    "parse_briefing_request", "render_brief_markdown", "verify_brief", "weekly_coverage",
]
