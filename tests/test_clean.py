import collections
from pathlib import Path

import pandas as pd
import pytest

from framing.corpus.clean import (
    REASONS,
    CleanedPage,
    RemovedLine,
    audit_table,
    chrome_reason,
    clean_page,
    headline_like,
    is_breadcrumb,
    is_footer_menu,
    is_photo_credit,
    is_prompt,
    normalize_text,
    removed_report,
    split_breadcrumb,
    split_byline,
    split_glued_title,
    starts_with_dateline,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PAGES = Path(__file__).resolve().parent / "data" / "pages"
SHARED = ROOT.parent / "shared" / "data"
SEED_000 = CORPUS / "000_5904578f6037d9dc.txt"
SEED_004 = CORPUS / "004_a2aa02edca634915.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def paragraphs(page: CleanedPage) -> list[str]:
    return page.text.split("\n\n") if page.text else []


def assert_accounts_for_every_word(raw: str, page: CleanedPage) -> None:
    """The audit is complete: body words + removed words == input words, exactly."""
    source = collections.Counter(normalize_text(raw).split())
    kept = collections.Counter(page.text.split())
    removed = collections.Counter(w for r in page.removed for w in r.text.split())
    assert kept + removed == source
    assert {r.reason for r in page.removed} <= set(REASONS)
    line_nos = [r.line_no for r in page.removed]
    assert line_nos == sorted(line_nos)
    assert len(set(line_nos)) == len(line_nos)


# ------------------------------------------------------------------- seed acceptance


@pytest.fixture(scope="module")
def seed_000() -> tuple[str, CleanedPage]:
    raw = read(SEED_000)
    return raw, clean_page(raw)


@pytest.fixture(scope="module")
def seed_004() -> tuple[str, CleanedPage]:
    raw = read(SEED_004)
    return raw, clean_page(raw)


def test_seed_000_metadata(seed_000):
    _, page = seed_000
    assert page.title == "Diverging Perspectives Among Kyiv's Allies Complicate Peacekeeping Plans"
    assert page.published == pd.Timestamp("2025-05-15")
    assert page.author == ""
    assert page.standfirst.startswith("Discussions among Western nations")


def test_seed_000_body_span_and_no_unrelated_headlines(seed_000):
    _, page = seed_000
    paras = paragraphs(page)
    assert paras[0].startswith("Brussels – As diplomatic initiatives")
    assert paras[-1].endswith("strengthen its position at future negotiations.")
    assert len(paras) == 20
    for other_story in ("Kardashian", "Arsenal", "Starlink", "Lollipops", "Duterte", "0:00"):
        assert other_story not in page.text
    # the 50-odd story titles after the body are all audited as a story list
    reasons = collections.Counter(r.reason for r in page.removed)
    assert reasons["related_list"] >= 50
    assert reasons["video_player"] == 4  # 0:00, 0:00, Close, ×
    assert page.text.count("Diverging Perspectives") == 0  # headline not repeated in body


def test_seed_000_every_long_line_survives(seed_000):
    raw, page = seed_000
    long_lines = [ln for ln in normalize_text(raw).split("\n") if len(ln.split()) >= 25]
    assert len(long_lines) == 10
    for line in long_lines:
        assert line in paragraphs(page)
    assert_accounts_for_every_word(raw, page)


def test_seed_004_metadata(seed_004):
    _, page = seed_004
    assert page.title == (
        "Negotiating Goals: Ukraine Talks at the White House Aim to Balance Interests and "
        "Achieve Progress"
    )
    assert page.author == "James Carter"
    assert page.published is pd.NaT  # the page prints no date
    assert page.standfirst.startswith("In this article, we explore the objectives")


def test_seed_004_keeps_table_and_sections(seed_004):
    _, page = seed_004
    paras = paragraphs(page)
    table = [
        "Country Primary Objective",
        "United States Secure a deal to end the conflict, even with concessions.",
        "Ukraine Preserve territorial integrity and secure robust security guarantees.",
        "Europe Obtain firm US commitment to Ukraine’s future security.",
        "Russia Secure recognition of territorial gains and prevent Ukraine’s NATO membership.",
    ]
    start = paras.index(table[0])
    assert paras[start : start + 5] == table
    for heading in (
        "Ukraine’s Core Objectives: Sovereignty and Security",
        "Key Negotiation Points & Potential Compromises",
        "Ukraine’s Stance: Protecting Territorial Integrity",
        "Understanding the Historical Context of the Ukraine Conflict",
    ):
        assert heading in paras
    assert any(p.startswith("Full Restoration of Territorial Integrity:") for p in paras)
    assert any(p.startswith("Neutrality vs.Security Guarantees:") for p in paras)
    assert paras[-1].endswith("progress in the negotiations and the")  # truncated in the source


def test_seed_004_chrome_is_gone(seed_004):
    _, page = seed_004
    for chrome in (
        "Adblock Detected",
        "Leave a Comment",
        "Akismet",
        "You may also like",
        "Share your thoughts",
        "What role do you think",
        "How can the international community",
        "What are the primary security concerns",
        "Home »",
        "by James Carter",
        "Frequently Asked Questions",
    ):
        assert chrome not in page.text
    # the headline repeated mid-page is removed, not kept as a heading
    assert page.title not in page.text
    by_line = {r.line_no: r.reason for r in page.removed}
    assert by_line[1] == "breadcrumb"
    assert by_line[5] == "byline"
    assert by_line[45] == "reader_question"
    assert by_line[104] == "comment_prompt"
    assert by_line[106] == "spam_notice"
    assert by_line[108] == "adblock_notice"


def test_seed_004_every_long_line_survives_or_is_explained(seed_004):
    raw, page = seed_004
    removed_long = {(r.line_no, r.reason) for r in page.removed if len(r.text.split()) >= 25}
    # two copies of "headline + standfirst" and two boxed asides; nothing else
    assert removed_long == {(1, "breadcrumb"), (3, "headline"), (39, "callout"), (41, "callout")}
    paras = paragraphs(page)
    removed_nos = {n for n, _ in removed_long}
    for no, line in enumerate(normalize_text(raw).split("\n"), start=1):
        if len(line.split()) >= 25 and no not in removed_nos:
            assert line in paras
    assert_accounts_for_every_word(raw, page)


def test_crlf_bom_nbsp_and_zero_width_do_not_change_the_result(seed_004):
    raw, page = seed_004
    noisy = "\ufeff" + raw.replace("\n", "\r\n").replace(" Ukraine", "\u00a0Ukraine", 3)
    noisy = noisy.replace("Leave a Comment", "Leave a\u200b Comment")
    again = clean_page(noisy)
    assert again.text == page.text
    assert (again.title, again.author, again.standfirst) == (
        page.title,
        page.author,
        page.standfirst,
    )
    assert [(r.line_no, r.reason) for r in again.removed] == [
        (r.line_no, r.reason) for r in page.removed
    ]


# --------------------------------------------------------------- fixtures of other sites

# name -> title, author, published, standfirst, first paragraph, last paragraph,
#         number of paragraphs, strings that must be gone, {line_no: reason}
FIXTURES = {
    "footer_menu_local_news": dict(
        title="City Council Delays Vote on Riverside Housing Plan",
        author="Maria Gonzalez",
        published="2024-03-03 18:15",
        standfirst="",
        first="The Riverside City Council on Monday postponed",
        last="The vote is scheduled for April 9.",
        n=11,
        gone=["About Us", "Privacy Policy", "All rights reserved", "Obituaries", "Topics:"],
        reasons={1: "site_slogan", 10: "byline", 11: "dateline", 31: "tags", 32: "footer_menu"},
    ),
    "cookie_banner_magazine": dict(
        title="Why Central Banks Are Wary of Cutting Rates Too Soon",
        author="Tom Whitfield",
        published="2023-01-12",
        standfirst="Inflation has cooled, but policymakers fear a repeat of the 1970s",
        first="Central bankers on both sides of the Atlantic",
        last='"The risk of doing too little',
        n=4,
        gone=["cookies", "Accept all", "Manage preferences", "Home >", "Share this", "LinkedIn"],
        reasons={1: "cookie_notice", 2: "cookie_notice", 5: "breadcrumb", 11: "byline"},
    ),
    "read_more_guardian_style": dict(
        title="Ukrainian villagers return to ruins as Russian forces pull back from Kharkiv",
        author="Anna Petrenko",
        published="2022-05-14 05:00",
        standfirst="Residents of villages north-east of the city",
        first="The road into Tsyrkuny is lined with burnt-out vehicles",
        last="Volunteers from Kharkiv arrive twice a week",
        n=5,
        gone=["Read more", "Zelenskiy says", "Photograph:", "Share on", "Explore more"],
        reasons={7: "byline", 8: "dateline", 10: "photo_credit", 16: "read_more_list"},
    ),
    "photo_credits_feature": dict(
        title="Alpine Glaciers Lost a Record Share of Their Ice This Summer",
        author="Lukas Brenner; Sofia Marti",
        published="2023-09-28",
        standfirst="Swiss monitoring network reports the steepest annual decline",
        first="Switzerland's glaciers lost about 4 percent",
        last="Glaciologists warned that many smaller glaciers",
        n=4,
        gone=["Getty", "AP Photo", "Credit:", "Science ›"],
        reasons={1: "breadcrumb", 10: "photo_credit", 16: "photo_credit", 20: "photo_credit"},
    ),
    "paywall_business": dict(
        title="Chipmaker Shares Slide After Export Curbs Widen",
        author="Priya Raman; Daniel Okafor",
        published="2025-05-15 14:31",  # 10:31 am EDT
        standfirst="",
        first="Shares of several semiconductor equipment makers",
        last="Analysts said the companies most exposed",
        n=3,
        gone=["subscriber", "Subscribe", "Sign in", "MARKETS"],
        reasons={13: "paywall", 14: "paywall", 15: "paywall", 16: "paywall"},
    ),
    "wire_reuters": dict(
        title="Fed's Kowalski says more evidence needed before rate cut",
        author="Jane Doe",
        published=None,  # "May 15" without a year is not completed
        standfirst="",
        first="WASHINGTON, May 15 (Reuters) - Federal Reserve Governor Anna Kowalski said",
        last="Markets trimmed bets on a cut in July after her remarks.",
        n=4,
        gone=["Editing by", "Our Standards"],
        reasons={18: "byline", 19: "tail_chrome"},
    ),
    "wordpress_blog": dict(
        title="What the New Farm Subsidy Rules Mean for Small Growers",
        author="",
        published="2024-04-02",
        standfirst="",
        first="The agriculture ministry published its long-awaited guidance",
        last="But the application process is demanding.",
        n=4,
        gone=["Policy Notebook", "Leave a Reply", "Akismet", "Five charts", "Required fields"],
        reasons={2: "site_slogan", 4: "dateline", 12: "related_list", 15: "related_list"},
    ),
    "extractor_no_blank_lines": dict(
        title="Heatwave Pushes Power Demand to New Record",
        author="",
        published=None,
        standfirst="",
        first="Electricity demand hit an all-time high",
        last="Engineers warned, however,",
        n=5,
        gone=["Most read", "Mortgage rates", "Star striker"],
        reasons={7: "related_list", 12: "related_list"},
    ),
    "video_news": dict(
        title="Earthquake Strikes Off Coast of Japan, Tsunami Warning Lifted",
        author="",
        published="2025-05-14",  # the publication stamp, not the update stamp
        standfirst="",
        first="A magnitude 6.8 earthquake struck",
        last="There were no immediate reports of serious injuries.",
        n=4,
        gone=["Watch:", "0:00", "Now Playing", "Up Next", "Advertisement", "More from", "Cairo"],
        reasons={4: "dateline", 5: "video_player", 6: "video_player", 14: "advertisement"},
    ),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_pages(name):
    raw = read(PAGES / f"{name}.txt")
    page = clean_page(raw)
    want = FIXTURES[name]
    assert page.title == want["title"]
    assert page.author == want["author"]
    if want["published"] is None:
        assert page.published is pd.NaT
    else:
        assert page.published == pd.Timestamp(want["published"])
    assert page.standfirst.startswith(want["standfirst"])
    assert bool(page.standfirst) == bool(want["standfirst"])
    paras = paragraphs(page)
    assert paras[0].startswith(want["first"])
    assert paras[-1].startswith(want["last"])
    assert len(paras) == want["n"]
    for chrome in want["gone"]:
        assert chrome not in page.text, chrome
    by_line = {r.line_no: r.reason for r in page.removed}
    for line_no, reason in want["reasons"].items():
        assert by_line.get(line_no) == reason, (line_no, by_line.get(line_no))
    assert_accounts_for_every_word(raw, page)


def test_fixture_body_lines_all_survive():
    """Every line of prose (>= 12 words, not a caption or notice) is kept verbatim."""
    for path in sorted(PAGES.glob("*.txt")):
        raw = read(path)
        page = clean_page(raw)
        removed = {r.line_no for r in page.removed}
        for no, line in enumerate(normalize_text(raw).split("\n"), start=1):
            if len(line.split()) >= 12 and no not in removed:
                assert line in page.text, (path.name, no)
        allowed = {
            "standfirst", "cookie_notice", "photo_credit", "comment_prompt", "spam_notice",
            "footer_menu", "headline", "read_more_list",
        }  # fmt: skip
        assert {r.reason for r in page.removed if len(r.text.split()) >= 12} <= allowed, path.name


def test_hard_wrapped_wire_copy_is_rejoined_into_paragraphs():
    page = clean_page(read(PAGES / "wire_reuters.txt"))
    paras = paragraphs(page)
    assert paras[1] == (
        '"We are not there yet," Kowalski said in remarks prepared for a conference in '
        'Washington. "I want to be confident that inflation is moving sustainably toward '
        'our 2% goal before we adjust policy."'
    )
    assert "\n" not in paras[0]


def test_page_without_chrome_comes_back_unchanged():
    raw = read(PAGES / "no_chrome.txt")
    page = clean_page(raw)
    expected = [" ".join(p.split()) for p in raw.split("\n\n") if p.strip()]
    assert paragraphs(page) == expected
    assert page.removed == ()
    assert page.n_removed == 0
    assert (page.title, page.author, page.standfirst) == ("", "", "")
    assert page.published is pd.NaT


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\n", "\r\n \t\r\n", "\ufeff"])
def test_empty_pages(raw):
    page = clean_page(raw)
    assert page == CleanedPage("", "", "", pd.NaT, "", ())
    assert removed_report(page).empty


def test_non_text_input_is_a_clear_error():
    with pytest.raises(TypeError, match="decode bytes first"):
        clean_page(b"Leave a Comment")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="NoneType"):
        clean_page(None)  # type: ignore[arg-type]


def test_empty_fixture_file():
    assert clean_page(read(PAGES / "empty.txt")).text == ""


def test_article_lists_at_the_end_of_the_body_are_kept():
    # a list that belongs to the article: introduced by ":" / blank-line separated
    raw = (
        "Film Awards Honour Small British Productions\n\n"
        "The awards were presented at a ceremony in London on Sunday night, where "
        "independent productions won most of the major prizes.\n\n"
        "The winners were:\n"
        "Best film - The Long Road Home\n"
        "Best actress - Jane Marlow\n"
        "Best actor - Tom Reyes\n"
    )
    page = clean_page(raw)
    assert paragraphs(page)[-3:] == [
        "Best film - The Long Road Home",
        "Best actress - Jane Marlow",
        "Best actor - Tom Reyes",
    ]
    # the same titles printed as a packed run after a share prompt are a story list
    raw2 = raw.replace("The winners were:\n", "Share this article\n")
    page2 = clean_page(raw2)
    assert "Best film" not in page2.text
    assert {r.reason for r in page2.removed if "Best" in r.text} == {"related_list"}


def test_table_inside_body_is_kept_but_story_list_after_body_is_not():
    body = (
        "Officials released the figures on Monday after weeks of pressure from "
        "opposition parties and campaign groups.\n\n"
    )
    table = "Region Share\nNorth West 12 percent\nLondon 19 percent\nWales 6 percent\n\n"
    after = (
        "The figures will be updated every quarter, the department said in a short "
        "statement.\n\nNewsletter\n\nHouse prices rise again\nRail strike called off\n"
        "Storm warning for the coast\nMinister resigns over expenses\n"
    )
    page = clean_page(body + table + after)
    assert "London 19 percent" in paragraphs(page)
    assert "Rail strike called off" not in page.text
    assert page.text.endswith("said in a short statement.")


def test_timeline_dates_inside_the_body_are_kept():
    raw = (
        "How the War Unfolded\n\nPublished 3 March 2022\n\n"
        "The invasion began before dawn, with missile strikes on cities across the country.\n\n"
        "24 February 2022\n\n"
        "Russian troops crossed the border from the north, east and south within hours.\n\n"
        "Updated 4 March 2022 09:00 GMT\n\n"
        "2 March 2022\n\n"
        "The first round of talks was held near the Belarusian border without result.\n"
    )
    page = clean_page(raw)
    assert "24 February 2022" in paragraphs(page)
    assert "2 March 2022" in paragraphs(page)
    assert "Updated 4 March" not in page.text  # a stamp, even inside the body
    assert page.published == pd.Timestamp("2022-03-03")


def test_rhetorical_question_in_body_is_kept():
    raw = (
        "The plan was announced with great fanfare in January by the new government.\n\n"
        "So what went wrong?\n\n"
        "Officials underestimated the cost of the new rolling stock and the time needed "
        "to train drivers.\n\n"
        "What do you think? Let us know in the comments below.\n"
    )
    page = clean_page(raw)
    assert "So what went wrong?" in paragraphs(page)
    assert "Let us know" not in page.text


def test_wire_dateline_after_standfirst_marks_body_start():
    raw = (
        "Ceasefire Talks Resume in Cairo\n\n"
        "Negotiators meet for the first time in a month amid pressure from mediators.\n"
        "CAIRO (AP) — Negotiators from both sides returned to Cairo on Thursday for a new "
        "round of talks, according to officials briefed on the meeting.\n"
    )
    page = clean_page(raw)
    assert page.standfirst.startswith("Negotiators meet for the first time")
    assert paragraphs(page)[0].startswith("CAIRO (AP) — Negotiators")


def test_bbc_style_title_then_lede_has_no_standfirst():
    raw = (
        "Berlin cheers for anti-Nazi film\n\n"
        "A German movie about a resistance heroine has drawn loud applause at the festival.\n\n"
        "Sophie Scholl - The Final Days portrays the last days of the student activist, "
        "who was executed in 1943 for distributing leaflets.\n"
    )
    page = clean_page(raw)
    assert page.title == "Berlin cheers for anti-Nazi film"
    assert page.standfirst == ""
    assert paragraphs(page)[0].startswith("A German movie")


# ------------------------------------------------------------------------ helpers


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Home » News » Politics", True),
        ("Home > World > Europe", True),
        ("World › Europe › Ukraine", True),
        ("Home / Opinion", True),
        ("News | Sport | Weather", True),
        ("Home » News » Talks Resume as Winter Nears In this article we look", True),
        ("Prices rose > 5% in May", False),
        ("Exports rose 5% in May.", False),
        ("Ukraine / Russia", False),
        ("The ratio of 3 / 4 is common", False),
    ],
)
def test_is_breadcrumb(line, expected):
    assert is_breadcrumb(line) is expected


def test_split_breadcrumb_returns_glued_headline():
    path, rest = split_breadcrumb("Home » News » Talks Stall as Winter Nears In this piece")
    assert path == ["Home", "News"]
    assert rest == "Talks Stall as Winter Nears In this piece"
    assert split_breadcrumb("Home » World » Europe") == (["Home", "World", "Europe"], "")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Leave a Comment", "comment_prompt"),
        ("Leave a Reply", "comment_prompt"),
        ("Share your thoughts in the comments below!", "comment_prompt"),
        (
            "Your email address will not be published. Required fields are marked *",
            "comment_prompt",
        ),
        ("12 Comments", "comment_prompt"),
        ("Share this article", "share_prompt"),
        ("Share on Facebook", "share_prompt"),
        ("Click to share on X (Opens in new window)", "share_prompt"),
        ("Facebook Twitter LinkedIn Email", "share_prompt"),
        ("Newsletter", "newsletter"),
        ("Sign up for our morning newsletter", "newsletter"),
        ("Get the best stories delivered to your inbox every day", "newsletter"),
        ("Enter your email address", "newsletter"),
        ("0:00", "video_player"),
        ("0:00 / 1:42", "video_player"),
        ("Close", "video_player"),
        ("×", "video_player"),
        ("Play", "video_player"),
        ("Watch: Crowds gather outside parliament", "video_player"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Adblock Detected", "adblock_notice"),
        ("Please disable your ad blocker to support independent journalism", "adblock_notice"),
        ("We use cookies to improve your experience on our site.", "cookie_notice"),
        ("Accept all", "cookie_notice"),
        (
            "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
            "spam_notice",
        ),
        ("This website is protected by reCAPTCHA", "spam_notice"),
        ("Subscribe to continue reading", "paywall"),
        ("This article is for subscribers only.", "paywall"),
        ("Already a subscriber? Log in", "paywall"),
        ("You've reached your limit of free articles", "paywall"),
        ("Related Articles", "related_list"),
        ("You may also like", "related_list"),
        ("More from Europe", "related_list"),
        ("Most read", "related_list"),
        ("Related: Ministers clash over budget", "related_list"),
        ("Read more:", "read_more_list"),
        ("Read more: What we know on day 80 of the war", "read_more_list"),
        ("Did you know? Glaciers store most of the world's fresh water.", "callout"),
        ("Pro Tip: Check the original source.", "callout"),
        ("Photo: Jane Doe/Reuters", "photo_credit"),
        ("Soldiers on patrol near Kharkiv. (AP Photo/Efrem Lukatsky)", "photo_credit"),
        ("A woman in Kyiv on Friday. Photograph: Sergey Bobok/AFP/Getty Images", "photo_credit"),
        ("Getty Images", "photo_credit"),
        ("About Us | Contact | Privacy Policy | Terms", "footer_menu"),
        ("© 2025 Example Media Ltd. All rights reserved.", "footer_menu"),
        ("Privacy Policy", "footer_menu"),
        ("Tags: Ukraine, NATO, Diplomacy", "tags"),
        ("Home » News » Politics", "breadcrumb"),
        ("By Jane Doe", "byline"),
        ("Updated 15 May 2025 10:31 GMT", "dateline"),
        ("Updated at 22.02 BST", "dateline"),
        ("3 hours ago", "dateline"),
        ("Posted on April 2, 2024 by admin", "dateline"),
        ("What role do you think the US should play in the talks?", "reader_question"),
    ],
)
def test_chrome_reason_recognises_chrome(line, reason):
    assert chrome_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The talks resumed in Geneva on Monday.",
        "Shares in the company fell 5% on Monday after the results.",
        "Share prices fell sharply in early trading.",
        "The regulator said websites must obtain consent before placing cookies.",
        "The newsletter, published weekly by the ministry, listed the new rules.",
        "Comments from the minister drew criticism from opposition parties.",
        "The talks stalled, Reuters reported.",
        "By the end of the year, prices had doubled.",
        "By Monday, the ceasefire had collapsed.",
        "On May 15, 2025, the talks began.",
        "Close to 400 people were evacuated from the embankment.",
        "Advertising revenue fell by a third last year.",
        "The report is available to members of parliament only.",
        "What role should the US play in mediating the conflict?",
        "Photographs of the scene were shared widely online.",
        "Read the full text of the agreement, officials urged.",
        "A" * 5 + " " + "word " * 70,  # a long paragraph is never chrome
        "",
    ],
)
def test_chrome_reason_leaves_body_sentences_alone(line):
    assert chrome_reason(line) is None


def test_is_prompt_covers_prompts_only():
    assert is_prompt("Sign up to our newsletter")
    assert is_prompt("Leave a Comment")
    assert not is_prompt("By Jane Doe")  # a byline, not a prompt
    assert not is_prompt("Shares in the company fell 5% on Monday.")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Nissan Plans to Cut Over 10,000 Additional Jobs Worldwide", True),
        ("Daughter of crypto boss escapes Paris kidnap in latest in series of attacks", True),
        (
            "Kim Kardashian Testifies in Paris Robbery Trial, Tells Gang Leader: 'I Forgive You'",
            True,
        ),
        ("Is this the end of the euro?", True),
        ("$1m payoff for former Shell boss", True),
        ("iTunes now selling Band Aid song", True),
        ("'My memories of Marley...'", True),
        ("Talks resumed on Monday.", False),
        ("Here’s a breakdown of key positions:", False),
        ("the unprecedented gathering underscores growing anxieties", False),
        ("Politics", False),
        ("word " * 30, False),
    ],
)
def test_headline_like(line, expected):
    assert headline_like(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("by James Carter Senior News Editor", "James Carter"),
        ("By Jane Doe and John Roe", "Jane Doe; John Roe"),
        ("By Jane Doe, John Roe and Ann Poe", "Jane Doe; John Roe; Ann Poe"),
        ("By JANE DOE", "Jane Doe"),
        ("By Jane Doe | Reuters", "Jane Doe"),
        ("By Jane Doe, Political Correspondent", "Jane Doe"),
        ("By Jane Doe in Kyiv", "Jane Doe"),
        ("By Jane Doe on May 15, 2025", "Jane Doe"),
        ("By Tom Whitfield | 12 January 2023", "Tom Whitfield"),
        ("Written by Dr. Amal Haddad", "Dr. Amal Haddad"),
        ("By Anna-Maria O'Neill-Smith, Senior Correspondent", "Anna-Maria O'Neill-Smith"),
        ("Reporting by Jane Doe; Editing by John Roe", "Jane Doe"),
        ("By Ursula von der Leyen", "Ursula von der Leyen"),
        ("By The Associated Press", "The Associated Press"),
        ("By the end of the year, prices had doubled.", None),
        ("By Monday, prices had doubled", None),
        ("By Christmas Day the shops were empty.", None),
        ("Bye for now", None),
        ("Jane Doe", None),
    ],
)
def test_split_byline(line, expected):
    assert split_byline(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Talks Aim to Balance Interests In this article, we explore the goals.",
            ("Talks Aim to Balance Interests", "In this article, we explore the goals."),
        ),
        (
            "Duterte Awaits Trial at The Hague. Next week he might be elected mayor",
            ("Duterte Awaits Trial at The Hague.", "Next week he might be elected mayor"),
        ),
        ("Daughter of crypto boss escapes kidnap", ("Daughter of crypto boss escapes kidnap", "")),
        (
            "Elon Musk Joins Trump Meeting in Saudi Arabia",
            ("Elon Musk Joins Trump Meeting in Saudi Arabia", ""),
        ),
    ],
)
def test_split_glued_title(text, expected):
    assert split_glued_title(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("LONDON (Reuters) - Britain's economy grew in May.", True),
        ("WASHINGTON, May 15 (Reuters) - The Fed held rates.", True),
        ("KYIV, Ukraine (AP) — Air raid sirens sounded.", True),
        ("Brussels – As diplomatic initiatives continue, allies differ.", True),
        ("Washington D.C. – An extraordinary assembly of world leaders met.", True),
        ("BERLIN - Germany's parliament voted on Friday.", True),
        ("Yili - full name Inner Mongolia Yili Industrial - confirmed the arrests.", False),
        ("Sophie Scholl - The Final Days portrays the student's last days.", False),
        ("Poland - a large EU member - asked for time.", False),
        ("The economy grew in May - slowly.", False),
    ],
)
def test_starts_with_dateline(line, expected):
    assert starts_with_dateline(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("About Us | Contact | Privacy Policy | Terms", True),
        ("Contact Us", True),
        ("Copyright 2024 The Daily Record", True),
        ("Exports | Imports | Balance", False),
        ("Contact was lost with the vessel on Monday.", False),
    ],
)
def test_is_footer_menu(line, expected):
    assert is_footer_menu(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Photo: Fabrice Coffrini/AFP via Getty Images", True),
        ("Image credit: NASA", True),
        ("Researchers on the glacier. (AP Photo/Matthias Schrader)", True),
        ("Jane Doe/Reuters", True),
        ("The talks stalled, Reuters reported.", False),
        ("Getty Images reported record profits for the year.", False),
        ("Photographers gathered outside the court.", False),
    ],
)
def test_is_photo_credit(line, expected):
    assert is_photo_credit(line) is expected


def test_normalize_text():
    raw = "\ufeffOne\u00a0two\r\nthree\u200b  four \rfive\u2028six\tseven\u00adx"
    assert normalize_text(raw) == "One two\nthree four\nfive\nsix sevenx"
    assert normalize_text("a\r\nb\r\n").count("\n") == 2  # line count preserved


# ------------------------------------------------------------------------ reports


def test_removed_report_and_audit_table(seed_004):
    _, page = seed_004
    report = removed_report(page)
    assert list(report.columns) == ["line_no", "reason", "text"]
    assert report["line_no"].dtype == "int64"
    assert len(report) == page.n_removed
    assert report.iloc[0].to_dict() == {
        "line_no": 1,
        "reason": "breadcrumb",
        "text": page.removed[0].text,
    }
    other = clean_page("Share this article\n\nThe talks resumed on Monday in Geneva.")
    table = audit_table({"a": page, "b": other})
    assert list(table.columns) == ["article_id", "line_no", "reason", "text"]
    assert table["article_id"].value_counts().to_dict() == {"a": page.n_removed, "b": 1}
    assert table.iloc[-1].tolist() == ["b", 1, "share_prompt", "Share this article"]
    several = removed_report([page, other])
    assert list(several.columns) == ["page", "line_no", "reason", "text"]
    assert several["page"].tolist().count(1) == 1
    empty = audit_table({})
    assert list(empty.columns) == ["article_id", "line_no", "reason", "text"] and empty.empty


def test_records_are_frozen():
    line = RemovedLine(3, "Share", "share_prompt")
    with pytest.raises(AttributeError):
        line.reason = "x"  # type: ignore[misc]
    page = clean_page("Share this\n\nA sentence of body text that is long enough here.")
    with pytest.raises(AttributeError):
        page.text = ""  # type: ignore[misc]


def test_every_reason_is_documented():
    for reason in REASONS:
        assert reason.replace("_", "").isalpha()
        assert REASONS[reason]


# ------------------------------------------------------------------- real corpora


@pytest.mark.shared
def test_bbc_articles_lose_nothing_but_their_headline():
    """BBC files are headline + clean body: the cleaner must keep every other line."""
    root = SHARED / "bbc-news" / "bbc"
    if not root.exists():
        pytest.skip("../shared/data is absent")
    files = sorted(root.glob("*/*.txt"))
    assert len(files) == 2225
    problems = []
    for path in files:
        raw = path.read_bytes().decode("utf-8", errors="replace")
        page = clean_page(raw)
        headline = next(ln for ln in normalize_text(raw).split("\n") if ln)
        extra = [r for r in page.removed if r.line_no != 1]
        if page.title != headline or extra:
            problems.append((path.name, page.title, extra[:2]))
    assert problems == []


@pytest.mark.shared
def test_guardian_texts_lose_only_captions_and_house_ads():
    path = SHARED / "ukraine-nyt-guardian-2022" / "Guardians_Russia_Ukraine.csv"
    if not path.exists():
        pytest.skip("../shared/data is absent")
    texts = pd.read_csv(path, usecols=["articles"])["articles"].fillna("")
    reasons = collections.Counter()
    for text in texts:
        page = clean_page(text)
        assert_accounts_for_every_word(text, page)
        for r in page.removed:
            if len(r.text.split()) >= 12:
                reasons[r.reason] += 1
    # long removed lines are photo captions ("… Photograph: X/Y") and newsletter ads
    assert set(reasons) <= {"photo_credit", "newsletter", "empty_heading"}
    assert reasons["photo_credit"] >= 50
