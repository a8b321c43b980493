"""Readers: every supported format gives Articles, and every bad input gives a message, not a crash."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path
from typing import Callable

import pytest

from ingest.article import Article
from ingest.errors import ReadError, ReadProblem
from ingest.readers import SUPPORTED, find_article_files, read_articles
from support import EXAMPLES, SEED_NAME, require_shared

STORY = (
    "WASHINGTON — The Treasury Department on Tuesday imposed sanctions on companies in China and "
    "Russia accused of helping North Korea's weapons programs.\n\n"
    "Officials said more measures could follow."
)


def read_all(path: Path) -> tuple[list[Article], list[ReadProblem]]:
    articles: list[Article] = []
    problems: list[ReadProblem] = []
    for item in read_articles(path):
        (articles if isinstance(item, Article) else problems).append(item)
    return articles, problems


def read_one(path: Path) -> Article:
    articles, problems = read_all(path)
    assert problems == []
    assert len(articles) == 1
    return articles[0]


def skipped_reason(path: Path) -> str:
    with pytest.raises(ReadError) as caught:
        read_all(path)
    assert caught.value.problem.path == str(path)
    return caught.value.problem.reason


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --- plain text and markdown -------------------------------------------------------------------


def test_seed_article_headline_and_text() -> None:
    article = read_one(require_shared(SEED_NAME))
    assert article.title == "Tillerson Suggests North Korea May Soon Be Ready for Talks"
    assert article.text.startswith("WASHINGTON — In some of the most conciliatory")
    assert article.published == ""  # the seed states no date; none is invented
    resolved = str(require_shared(SEED_NAME).resolve())
    assert article.origin == resolved
    assert article.path == resolved


def test_header_lines_under_headline_are_metadata(tmp_path: Path) -> None:
    path = write(
        tmp_path / "story.txt",
        "Treasury Sanctions Firms Over North Korea\n"
        "By Jane Doe and David E. Sanger\n"
        "date: Aug 22, 2017\n"
        "SOURCE: Harbor Daily Ledger\n"
        "URL: https://ledger.example.com/2017/08/22/sanctions\n"
        "\n" + STORY + "\n\nBy Friday, officials in Beijing had protested.\n",
    )
    article = read_one(path)
    assert article.title == "Treasury Sanctions Firms Over North Korea"
    assert article.authors == ("Jane Doe", "David E. Sanger")
    assert article.published == "2017-08-22"
    assert article.source == "Harbor Daily Ledger"
    assert article.url == "https://ledger.example.com/2017/08/22/sanctions"
    assert article.text.startswith("WASHINGTON — The Treasury")
    # A paragraph deep in the story that starts with "By" is text, not a byline.
    assert article.text.endswith("By Friday, officials in Beijing had protested.")


def test_header_lines_may_follow_a_blank_line(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "Headline\n\nPublished: 2017-08-22\nPublication: Pacific Wire Service\n\n" + STORY)
    article = read_one(path)
    assert (article.published, article.source) == ("2017-08-22", "Pacific Wire Service")
    assert article.text == STORY


def test_prose_starting_with_by_under_the_headline_stays_text(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "Talks Stall\nBy the time the envoys met, the offer had lapsed.\nMore text.")
    article = read_one(path)
    assert article.authors == ()
    assert article.text.startswith("By the time the envoys met")


def test_front_matter_title_makes_first_line_story_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "story.md",
        "---\n"
        'title: "Fire and Fury: A Week of Threats"\n'
        "published: 2017-08-16\n"
        "publication: Pacific Wire Service\n"
        "authors:\n"
        "  - Daniel Reyes\n"
        "  - 'Hana Lindqvist'\n"
        "url: https://wire.example.com/a\n"
        "tags: [korea, guam]\n"
        "---\n"
        "First paragraph is story text.\n\nSecond paragraph.\n",
    )
    article = read_one(path)
    assert article.title == "Fire and Fury: A Week of Threats"
    assert article.text == "First paragraph is story text.\n\nSecond paragraph."
    assert article.published == "2017-08-16"
    assert article.source == "Pacific Wire Service"
    assert article.authors == ("Daniel Reyes", "Hana Lindqvist")
    assert article.url == "https://wire.example.com/a"


def test_front_matter_without_title_uses_first_line(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "---\nauthor: [A. Writer, B. Writer]\ndate: 2017-03-17\n---\n\nHeadline Here\n\n" + STORY)
    article = read_one(path)
    assert article.title == "Headline Here"
    assert article.authors == ("A. Writer", "B. Writer")
    assert article.text == STORY


def test_markdown_headline_and_bold_byline(tmp_path: Path) -> None:
    path = write(
        tmp_path / "story.markdown",
        "# **Tillerson Praises 'Restraint'** #\n\n**By Miriam Okafor**  \n**Date:** August 23, 2017\n\n" + STORY,
    )
    article = read_one(path)
    assert article.title == "Tillerson Praises 'Restraint'"
    assert article.authors == ("Miriam Okafor",)
    assert article.published == "2017-08-23"
    assert article.text == STORY


def test_text_is_kept_exactly_apart_from_newlines_and_outer_whitespace(tmp_path: Path) -> None:
    body = "First  line   with   spaces.\r\n\r\n    Indented paragraph.\rOld Mac line.\r\n"
    path = tmp_path / "story.txt"
    path.write_bytes(("Headline\r\n\r\n" + body).encode("utf-8"))
    article = read_one(path)
    assert article.text == "First  line   with   spaces.\n\n    Indented paragraph.\nOld Mac line."


def test_headline_only_file_is_skipped(tmp_path: Path) -> None:
    assert skipped_reason(write(tmp_path / "a.txt", "Just a headline\n\n")) == "only a headline, no article text; skipped"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline\n\nStory text.")
    assert read_one(path).title == "Headline"


def test_same_article_under_two_names_reads_twice_with_one_article_id(tmp_path: Path) -> None:
    first = write(tmp_path / "one.txt", "Headline\n\n" + STORY)
    second = write(tmp_path / "copy of one.md", "Headline\n\n" + STORY.replace("\n\n", "\n\n\n"))
    a, b = read_one(first), read_one(second)
    assert a.origin != b.origin
    assert a.article_id == b.article_id  # duplicates are caught downstream by article_id


# --- whole-file failures -----------------------------------------------------------------------


def test_empty_file_is_skipped(tmp_path: Path) -> None:
    assert skipped_reason(write(tmp_path / "empty.txt", "")) == "empty file; skipped"
    assert skipped_reason(write(tmp_path / "blank.jsonl", " \n\n ")) == "empty file; skipped"


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert skipped_reason(path) == "binary file, not text; skipped"


def test_invalid_utf8_names_the_byte_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"Headline\n\nCaf\xe9 story")
    assert skipped_reason(path) == "not valid UTF-8 (byte 0xe9 at offset 13); skipped"


def test_invalid_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "\xff"}')
    assert skipped_reason(path) == "not valid UTF-8 (byte 0xff at offset 13); skipped"


def test_oversized_article_file_is_skipped_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as sparse:
        sparse.truncate(50 * 1024 * 1024)  # a sparse file: instant, takes no disk
    started = time.perf_counter()
    assert skipped_reason(path) == "file is 50.0 MB, over the 10 MB limit for one article; skipped"
    assert time.perf_counter() - started < 1


def test_folder_named_like_a_file_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "notes.txt"
    folder.mkdir()
    assert skipped_reason(folder) == "is a folder, not a file; skipped"


def test_broken_link_is_skipped(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    assert skipped_reason(link) == "broken link: what it points to does not exist; skipped"
    assert list(find_article_files([link])) == [
        ReadProblem(str(link), "broken link: what it points to does not exist")
    ]


def test_missing_file_is_skipped(tmp_path: Path) -> None:
    assert skipped_reason(tmp_path / "never.txt") == "no such file; skipped"


def _unreadable_outcome(path: Path, folder: Path) -> tuple[str, list[list[str]]]:
    """(reason reading `path` was refused, problems finding files in [path, folder])."""
    try:
        list(read_articles(path))
        reason = "read without error"
    except ReadError as error:
        reason = error.problem.reason
    found = find_article_files([path, folder])
    return reason, [[p.path, p.reason] if isinstance(p, ReadProblem) else [str(p), "readable"] for p in found]


def _as_nobody(check: Callable[[], object]) -> object:
    """Run `check` in a forked child that dropped root for the `nobody` user; its JSON result.

    Root reads a chmod 000 file, so only an unprivileged process sees "permission denied".  A
    fork (not a new interpreter) because the interpreter may live where nobody may not go.
    """
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            payload = {"result": check()}
            status = 0
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            payload = {"error": repr(error)}
        finally:
            os.write(writer, json.dumps(payload).encode())
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    outcome = json.loads(data or b'{"error": "no result"}')
    assert "error" not in outcome, outcome["error"]
    return outcome["result"]


def test_unreadable_file_is_reported() -> None:
    """A file and a folder nobody may read; as root the check runs as `nobody`."""
    base = Path(tempfile.mkdtemp(prefix="newsdesk-unreadable-"))
    base.chmod(0o755)  # nobody must reach the files to be refused by them
    path = write(base / "secret.txt", "Headline\n\nText.")
    folder = base / "locked"
    folder.mkdir()
    _unreadable_outcome(path, folder)  # imports everything lazily loaded while still readable
    path.chmod(0)
    folder.chmod(0)
    try:
        if os.geteuid() == 0:
            reason, problems = _as_nobody(lambda: _unreadable_outcome(path, folder))  # type: ignore[misc]
        else:
            reason, problems = _unreadable_outcome(path, folder)
        assert reason == "permission denied; skipped"
        assert problems == [[str(path), "permission denied"], [str(folder), "permission denied"]]
    finally:
        path.chmod(0o644)
        folder.chmod(0o755)
        shutil.rmtree(base)


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "story.docx", "x")
    reason = skipped_reason(path)
    assert reason.startswith("unsupported file type '.docx' (use .txt, .md, ")
    assert reason.endswith("; skipped")


# --- finding files -----------------------------------------------------------------------------


def test_find_article_files_walks_folders_sorted_and_reports_bad_paths(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "sub/c.csv", "sub/deeper/d.HTML", "notes.docx", ".hidden.txt", ".git/e.txt", "sub/image.png"]:
        path = tmp_path / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    explicit = write(tmp_path / "report.pdf", "x")
    missing = tmp_path / "missing"
    corpus = tmp_path / "corpus"
    found = list(find_article_files([corpus, explicit, missing, corpus / "a.md"]))
    assert found == [
        corpus / "a.md",
        corpus / "b.txt",
        corpus / "sub" / "c.csv",
        corpus / "sub" / "deeper" / "d.HTML",
        ReadProblem(str(explicit), f"unsupported file type '.pdf' (use {', '.join(SUPPORTED)})"),
        ReadProblem(str(missing), "no such file or folder"),
    ]  # a.md, named again explicitly, is yielded once


def test_supported_suffixes() -> None:
    assert SUPPORTED == (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv")


# --- JSON and JSON Lines -----------------------------------------------------------------------


def test_jsonl_bad_lines_are_reported_and_reading_continues(tmp_path: Path) -> None:
    good = {"id": "a1", "title": "First", "text": "Story one.", "published": "2017/08/22"}
    lines = [
        json.dumps(good),
        "",
        '{"title": "Broken" "text": "no comma"}',
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "No text here"}),
        json.dumps({"url": "https://x.example.com/2", "text": "Story two."}),
        json.dumps({"text": "Story three, with neither id nor url."}),
    ]
    path = write(tmp_path / "feed.jsonl", "\r\n".join(lines) + "\n")
    articles, problems = read_all(path)
    assert [str(problem) for problem in problems] == [
        f"{path} line 3: malformed JSON: Expecting ',' delimiter; skipped",
        f"{path} line 4: a list, not an article object; skipped",
        f"{path} line 5: record has no text; skipped",
    ]
    resolved = str(path.resolve())
    assert [a.origin for a in articles] == [
        f"{resolved}#a1",
        f"{resolved}#https://x.example.com/2",
        f"{resolved}#line7",
    ]
    assert articles[0].published == "2017-08-22"
    assert articles[1].title == "Story two"  # no title: the first sentence stands in
    assert all(a.path == resolved for a in articles)


def test_ndjson_is_json_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.ndjson", json.dumps({"headline": "H", "story": "S."}) + "\n")
    assert read_one(path).title == "H"


def test_duplicate_record_ids_are_reported(tmp_path: Path) -> None:
    record = json.dumps({"id": 7, "text": "Same id."})
    path = write(tmp_path / "feed.jsonl", f"{record}\n{record}\n")
    articles, problems = read_all(path)
    assert len(articles) == 1
    assert [str(p) for p in problems] == [f"{path} line 2: duplicate record id '7' (first at line 1); skipped"]


def test_json_single_article_is_a_one_article_file(tmp_path: Path) -> None:
    path = write(tmp_path / "one.json", json.dumps({"id": "x", "title": "T", "content": "Body."}))
    article = read_one(path)
    assert article.origin == str(path.resolve())
    assert (article.title, article.text) == ("T", "Body.")


def test_json_newsapi_feed_with_nested_source(tmp_path: Path) -> None:
    feed = {
        "status": "ok",
        "totalResults": 2,
        "articles": [
            {
                "source": {"id": "pacific-wire", "name": "Pacific Wire Service"},
                "author": "By Hana Lindqvist, Daniel Reyes and Wei Lin",
                "title": "Security Council Bans Coal Exports",
                "url": "https://wire.example.com/un",
                "publishedAt": "2017-08-06T03:20:00Z",
                "content": "UNITED NATIONS — The council voted 15 to 0.",
            },
            {"source": {"id": None, "name": None}, "title": "No body"},
        ],
    }
    path = write(tmp_path / "newsapi.json", json.dumps(feed))
    articles, problems = read_all(path)
    assert [str(p) for p in problems] == [f"{path}: item 2: record has no text; skipped"]
    (article,) = articles
    assert article.source == "Pacific Wire Service"
    assert article.authors == ("Hana Lindqvist", "Daniel Reyes", "Wei Lin")
    assert article.published == "2017-08-06"
    assert article.origin == f"{path.resolve()}#https://wire.example.com/un"


def test_json_list_uses_item_numbers_without_id(tmp_path: Path) -> None:
    path = write(tmp_path / "list.json", json.dumps([{"body": "One."}, "oops", {"body": "Three."}]))
    articles, problems = read_all(path)
    assert [a.origin.rsplit("#", 1)[1] for a in articles] == ["1", "3"]
    assert [p.reason for p in problems] == ["item 2: a string, not an article object; skipped"]


def test_malformed_json_file_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '[\n  {"text": "a"},\n  {"text": }\n]')
    with pytest.raises(ReadError) as caught:
        read_all(path)
    assert caught.value.problem.line == 3
    assert caught.value.problem.reason.startswith("malformed JSON: Expecting value")


def test_record_fields_by_alias(tmp_path: Path) -> None:
    record = {
        "Headline": "  Tillerson   Praises Restraint ",
        "Full Text": "\n  Story text.  \n",
        "pubDate": "Tue, 22 Aug 2017 14:00:00 GMT",
        "Publisher": "Harbor Daily Ledger",
        "creator": ["Miriam Okafor", {"name": "Wei Lin"}],
        "link": "https://ledger.example.com/x",
    }
    article = read_one(write(tmp_path / "one.json", json.dumps(record)))
    assert article.title == "Tillerson Praises Restraint"
    assert article.text == "Story text."
    assert article.published == "2017-08-22"
    assert article.source == "Harbor Daily Ledger"
    assert article.authors == ("Miriam Okafor", "Wei Lin")
    assert article.url == "https://ledger.example.com/x"


def test_partial_and_epoch_dates_in_records(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 1, "text": "a", "date": "August 2017"}),
        json.dumps({"id": 2, "text": "b", "timestamp": 1503403200000}),
    ]
    articles, _ = read_all(write(tmp_path / "d.jsonl", "\n".join(lines)))
    assert [a.published for a in articles] == ["", "2017-08-22"]


def test_missing_title_is_cut_from_the_first_sentence(tmp_path: Path) -> None:
    text = (
        "North Korea's foreign ministry on Wednesday rejected the latest round of United Nations "
        "sanctions as an act of war and promised a response. More follows."
    )
    article = read_one(write(tmp_path / "one.json", json.dumps({"text": text})))
    assert article.title.endswith("…")
    assert len(article.title) <= 91
    assert text.startswith(article.title[:-1])
    assert not article.title[:-1].endswith(" ")


def test_overlong_record_text_is_a_record_problem(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "big", "text": "x" * 2_000_001}), json.dumps({"id": "ok", "text": "fine"})]
    articles, problems = read_all(write(tmp_path / "big.jsonl", "\n".join(lines)))
    assert [a.text for a in articles] == ["fine"]
    assert problems[0].line == 1
    assert problems[0].reason == "article text is 2,000,001 characters, over the 2,000,000 limit; skipped"


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_all_the_news_layout(tmp_path: Path) -> None:
    path = tmp_path / "all-the-news.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["", "id", "title", "publication", "author", "date", "year", "month", "url", "content"])
        story = 'WASHINGTON — Congressional Republicans have a new fear.\r\nSecond line, with "quotes".'
        writer.writerow(["0", "17283", "House Republicans Fret", "New York Times", "Carl Hulse", "2016-12-31", "2016.0", "12.0", "", story])
        writer.writerow(["1", "17284", "No Content Row", "Breitbart", "", "2017-01-01", "2017.0", "1.0", "", "   "])
        writer.writerow(["2", "", "No Id Row", "CNN", "", "", "", "", "", "Text " + "long " * 40_000])
    articles, problems = read_all(path)
    assert [str(p) for p in problems] == [f"{path} line 4: record has no text; skipped"]
    first, second = articles
    assert first.title == "House Republicans Fret"
    assert first.source == "New York Times"
    assert first.authors == ("Carl Hulse",)
    assert first.published == "2016-12-31"
    assert first.text == 'WASHINGTON — Congressional Republicans have a new fear.\nSecond line, with "quotes".'
    assert first.origin == f"{path.resolve()}#17283"
    assert second.origin == f"{path.resolve()}#row3"  # the third article row
    assert len(second.text) > 131_072  # over the csv module's default field limit


def test_csv_that_breaks_part_way_raises_after_the_good_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.csv", 'title,text\nA,First story.\nB,"Unclosed quote\nC,Third.\n')
    articles: list[Article] = []
    with pytest.raises(ReadError) as caught:
        for item in read_articles(path):
            articles.append(item)  # type: ignore[arg-type]
    assert [a.title for a in articles] == ["A"]
    assert caught.value.problem.line == 3
    assert caught.value.problem.reason == "malformed CSV: unexpected end of data; rest of file skipped"


def test_csv_without_text_column_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "links.csv", "title,url\nA,https://x.example.com\n")
    assert skipped_reason(path) == "no text column (looked for text, body, content, article, story, full_text); skipped"


# --- HTML --------------------------------------------------------------------------------------


PAGE = """<!DOCTYPE html>
<html><head>
<title>Council Bans Coal Exports | Pacific Wire Service</title>
<meta property="og:site_name" content="Pacific Wire Service">
<meta property="article:published_time" content="2017-08-06T03:20:00+00:00">
<meta name="author" content="Hana Lindqvist">
<link rel="canonical" href="https://wire.example.com/2017/08/06/council-bans-coal">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/subscribe">Subscribe today</a></li></ul></nav>
<article><h1>Council Bans Coal Exports</h1>
<p>UNITED NATIONS — The Security Council voted unanimously on Saturday to ban North Korea's exports of coal, iron, lead and seafood, its toughest measures yet.</p>
<p>The resolution is meant to cut about a third of the country's export earnings, diplomats said, and passed with the support of China and Russia.</p>
<p>In March 2017 the council had condemned earlier launches, and officials said the new measures would be enforced at ports.</p>
</article>
<footer><p>© 2017 Pacific Wire Service. All rights reserved. Newsletter sign-up and privacy policy.</p></footer>
</body></html>"""


def test_html_article_text_and_metadata_without_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    article = read_one(write(tmp_path / "page.html", PAGE))
    assert article.title == "Council Bans Coal Exports"
    assert article.text.startswith("UNITED NATIONS — The Security Council voted unanimously")
    assert "Subscribe" not in article.text and "All rights reserved" not in article.text
    assert article.published == "2017-08-06"
    assert article.source == "Pacific Wire Service"
    assert article.authors == ("Hana Lindqvist",)
    assert article.url == "https://wire.example.com/2017/08/06/council-bans-coal"


def test_html_date_from_the_url_but_never_from_the_story(tmp_path: Path) -> None:
    undated = PAGE.replace('<meta property="article:published_time" content="2017-08-06T03:20:00+00:00">', "")
    # The canonical URL states a full day (/2017/08/06/), which counts.
    assert read_one(write(tmp_path / "page.htm", undated)).published == "2017-08-06"
    # Without it, "March 2017" in the story and "© 2017" in the footer must not become a date.
    undated = undated.replace("/2017/08/06/", "/world/")
    assert read_one(write(tmp_path / "page.html", undated)).published == ""


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Home</title></head><body></body></html>",
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_html_without_story_text_is_skipped(tmp_path: Path, page: str) -> None:
    assert skipped_reason(write(tmp_path / "nav.html", page)) == "no article text found in the HTML; skipped"


# --- bundled samples and shared corpora --------------------------------------------------------


def test_every_sample_article_reads_with_title_date_and_source() -> None:
    articles: list[Article] = []
    for found in find_article_files([EXAMPLES]):
        assert isinstance(found, Path), str(found)
        read, problems = read_all(found)
        assert problems == [], problems
        articles.extend(read)
    assert len(articles) == 11
    for article in articles:
        assert article.title and article.source and article.authors and article.url, article.origin
        assert "2017-03-15" <= article.published <= "2017-12-15", article.origin
        assert 150 <= len(article.text.split()) <= 450, article.origin
    assert len({a.origin for a in articles}) == len(articles)
    assert len({a.article_id for a in articles}) == len(articles)
    suffixes = sorted(Path(a.path).suffix for a in articles)
    assert suffixes == [".csv", ".html", ".html", ".json", ".jsonl", ".jsonl", ".md", ".md", ".txt", ".txt", ".txt"]


@pytest.mark.parametrize(
    ("corpus", "expected"),
    [("corpora/reuters21578/articles.jsonl", 19_043), ("corpora/realtimeqa-2023q1/articles.jsonl", 2_388)],
)
def test_shared_corpora_read_cleanly(corpus: str, expected: int) -> None:
    articles, problems = read_all(require_shared(corpus))
    assert problems == []
    assert len(articles) == expected
    assert all(a.title and a.text for a in articles)
    assert sum(1 for a in articles if a.published) == expected  # every item states a full date
