"""Topic precision: names match as names, aliases come from the archive, every name gates articles.

The small archives are written for these tests (tests/fixtures/briefing): a ferry disaster in
"Harbor City" with a look-alike "Harbor Town", and short stories on North and South Korea.
"""

from __future__ import annotations

from assistant.briefing import make_brief
from assistant.briefing.aliases import acronym_aliases, country_aliases, short_forms
from assistant.briefing.terms import names_pattern, words_pattern
from assistant.briefing.topic import analyse_topic
from support import check_brief


class FakeCatalog:
    """Just enough of a Catalog for the alias rules: articles found by phrase (case-insensitive)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = {str(i): t for i, t in enumerate(texts)}

    def articles_matching(self, groups, scope=None, limit=None):  # type: ignore[no-untyped-def]
        return {
            aid: "2023-01-01"
            for aid, text in self.texts.items()
            if all(any(p.lower() in text.lower() for p in group) for group in groups)
        }

    def articles(self, ids):  # type: ignore[no-untyped-def]
        from types import SimpleNamespace

        return {aid: SimpleNamespace(text=self.texts[aid]) for aid in ids}


def test_a_name_matches_only_as_written() -> None:
    north = names_pattern(["North Korea"])
    assert north is not None
    assert north.search("North Korea's leader") and north.search("NORTH KOREA — a heading")
    for text in ("South Korea said", "Korea alone", "North Korean troops", "north korea in lower case"):
        assert not north.search(text), text
    turkey = names_pattern(["Turkey"])
    assert turkey is not None and turkey.search("aid reached Turkey, officials said")
    assert not turkey.search("a roast turkey for dinner")
    apostrophe = names_pattern(["People's Republic of China"])
    assert apostrophe is not None and apostrophe.search("the People’s Republic of China")


def test_a_word_matches_its_inflections_and_nothing_longer() -> None:
    ban = words_pattern(["ban"])
    assert ban is not None
    assert [m.group(0) for m in ban.finditer("Bans, banned, banning, a ban; a bank, a banner")] == ["Bans", "banned", "banning", "ban"]
    retire = words_pattern(["retirement"])
    assert retire is not None and len(retire.findall("retired, retiring, retires, retirement")) == 4
    spy = words_pattern(["spy"])
    assert spy is not None and len(spy.findall("a spy, two spies, it spied")) == 3


def test_names_are_read_from_the_archive_whatever_the_topic_casing(korea_assistant, harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    korea = analyse_topic("north korea", korea_assistant.index.catalog)
    assert [g.label for g in korea.names] == ["North Korea"] and not korea.words
    ferry = analyse_topic("Harbor City Ferry", harbor_assistant.index.catalog)
    assert [g.label for g in ferry.names] == ["Harbor City"] and [g.label for g in ferry.words] == ["ferry"]
    mayor = analyse_topic("dana whitlock", harbor_assistant.index.catalog)
    assert [g.label for g in mayor.names] == ["Dana Whitlock"]
    assert [(a.form, a.local) for a in mayor.names[0].aliases] == [("Whitlock", True)]  # a short form, beside the name only
    unknown = analyse_topic("Atlantis floods", harbor_assistant.index.catalog)
    assert [g.label for g in unknown.names] == ["Atlantis"]  # no article names it: the user's casing stands


def test_country_aliases_are_attested_in_the_archive(korea_assistant) -> None:  # type: ignore[no-untyped-def]
    north = analyse_topic("North Korea", korea_assistant.index.catalog).names[0]
    forms = {a.form: a for a in north.aliases}
    assert not forms["North Korean"].local and "demonym" in forms["North Korean"].why
    # Pyongyang: named with North Korea in 2 of the 3 articles that mention it -> an alias everywhere.
    assert not forms["Pyongyang"].local and "2 of the 3" in forms["Pyongyang"].why
    assert "Seoul" not in forms and "South Korea" not in forms
    south = {a.form for a in analyse_topic("South Korea", korea_assistant.index.catalog).names[0].aliases}
    assert {"South Korean", "Seoul"} <= south and "Pyongyang" not in south
    # A capital given as the topic stays a city.
    assert not analyse_topic("Pyongyang", korea_assistant.index.catalog).names[0].aliases


def test_a_capital_the_archive_mostly_uses_alone_counts_only_beside_the_country() -> None:
    catalog = FakeCatalog(
        ["Officials in Washington said the United States would act.", "Washington state had snow.",
         "The Washington Post reported it.", "Washington, the team, lost again."]  # fmt: skip
    )
    washington = next(a for a in country_aliases("United States", catalog) if a.form == "Washington")  # type: ignore[arg-type]
    assert washington.local and "1 of the 4" in washington.why
    assert not country_aliases("Atlantis", catalog)  # type: ignore[arg-type]


def test_acronyms_spelt_out_in_the_archive(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    catalog = harbor_assistant.index.catalog
    authority = analyse_topic("Harbor City Port Authority", catalog).names[0]
    assert [(a.form, a.local) for a in authority.aliases] == [("HCPA", False)]  # spelt out once, never otherwise
    short = analyse_topic("HCPA", catalog).names[0]
    assert [a.form for a in short.aliases] == ["Harbor City Port Authority"]
    # Spelt out two ways in the archive: the acronym counts only where it is spelt out this way.
    ambiguous = FakeCatalog(["The Harbor City Port Authority (HCPA) met.", "The Hill County Police Academy (HCPA) opened."])
    texts = ["The Harbor City Port Authority (HCPA) met."]
    assert [(a.form, a.local) for a in acronym_aliases("Harbor City Port Authority", texts, ambiguous)] == [("HCPA", True)]  # type: ignore[arg-type]


def test_short_forms_only_for_names_used_alone_and_rarely_in_lower_case() -> None:
    texts = ["Damar Hamlin collapsed on the field. Hamlin was taken to hospital, and Hamlin's family thanked fans."]
    assert [(a.form, a.local) for a in short_forms("Damar Hamlin", texts)] == [("Hamlin", True)]
    state = ["Michigan State said the state would help. The State Department and the state police came."]
    assert short_forms("Michigan State", state) == []  # "state" is a common word
    assert short_forms("North Korea", ["North Korea and South Korea; Korea was split."]) == []  # a place, never a short form


def test_the_article_gate_needs_every_name_and_one_word(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    catalog = harbor_assistant.index.catalog
    terms = analyse_topic("Harbor City ferry", catalog)
    by_title = {a.title: a for a in catalog.iter_articles()}
    assert terms.mentions(by_title["Ferry Capsizes Off Harbor City"].text).on_topic()
    assert not terms.mentions(by_title["Ferry Service Returns to Harbor Town"].text).on_topic()  # the look-alike
    assert not terms.mentions(by_title["Harbor City Opens New Library"].text).on_topic()  # the name, not the topic


def test_a_brief_on_north_korea_cites_no_article_about_south_korea_only(korea_assistant) -> None:  # type: ignore[no-untyped-def]
    catalog = korea_assistant.index.catalog
    brief = make_brief(korea_assistant, "North Korea")
    check_brief(brief.to_dict(), catalog)
    titles = {c.title for c in brief.citations}
    assert "Pyongyang Warns Over Drills" in titles  # named by its capital only: the alias brings it in
    assert not titles & {"Seoul Marks Anniversary of Crowd Crush", "Korean Peninsula Weather Turns Cold"}
    south = make_brief(korea_assistant, "South Korea")
    assert not {c.title for c in south.citations} & {"Pyongyang Warns Over Drills", "North Korean Leader Inspects Launch Site"}


def test_a_topic_nobody_wrote_about_gets_an_empty_brief_that_says_so(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    brief = make_brief(harbor_assistant, "Atlantis floods")
    assert brief.empty and not brief.citations
    assert any("nothing in the archive" in note for note in brief.notes)


def test_too_little_evidence_is_said_and_not_padded(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    brief = make_brief(harbor_assistant, "Dana Whitlock")  # named in one article, twice
    assert any("too little on-topic evidence" in note for note in brief.notes)
    lines = [*brief.summary, *brief.timeline, *brief.undated]
    assert lines and all("Whitlock" in p.text for p in lines)
    assert {c.title for c in brief.citations} == {"Ferry Capsizes Off Harbor City"}
