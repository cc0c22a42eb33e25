"""Tests of geo.text: decoding, masking, sentence splitting, documents."""

from __future__ import annotations

import dataclasses
import doctest
import logging
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import geo.text
from geo._errors import DocumentError
from geo.readers import document_from_bytes, read_document
from geo.text import (
    Document,
    Sentence,
    clean_text,
    decode_bytes,
    document_from_text,
    split_clauses,
    split_sentences,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_002 = SEEDS / "002_2452a040ef93250e.txt"
PLAN = (
    "加快建设襄阳至南漳高速公路。推进“襄十随神”城市群协同发展！\n"
    "湘潭昭山示范区（B 型）：G209 改造。"
)


def texts(doc: Document) -> list[str]:
    return [doc.sentence_text(s) for s in doc.sentences]


def write(tmp_path: Path, data: bytes, name: str = "plan.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- decoding


def test_read_utf8(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, PLAN.encode("utf-8")))
    assert doc.text == PLAN
    assert doc.encoding == "utf-8"
    assert doc.name == "plan.txt"
    assert doc.path == str(tmp_path / "plan.txt")
    assert doc.clean == PLAN


def test_read_utf8_bom_offsets_count_after_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, b"\xef\xbb\xbf" + PLAN.encode("utf-8")))
    assert doc.encoding == "utf-8-sig"
    assert doc.text == PLAN
    start = doc.text.index("襄阳")
    assert start == PLAN.index("襄阳")
    assert doc.text[start : start + 2] == "襄阳"


@pytest.mark.parametrize("codec", ["gbk", "gb2312", "gb18030"])
def test_read_gb_family(tmp_path: Path, codec: str) -> None:
    doc = read_document(write(tmp_path, PLAN.encode(codec)))
    assert doc.encoding == "gb18030"
    assert doc.text == PLAN


def test_read_gbk_with_rare_place_names(tmp_path: Path) -> None:
    text = "溆浦县、鄀国故城、郧阳区交通建设。"
    doc = read_document(write(tmp_path, text.encode("gbk")))
    assert doc.text == text
    assert doc.clean == text


def test_read_utf16_with_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, PLAN.encode("utf-16")))
    assert doc.encoding == "utf-16"
    assert doc.text == PLAN


def test_path_like_and_str_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, PLAN.encode("utf-8"))
    assert read_document(str(path)) == read_document(path)


def test_decode_bytes_returns_text_and_encoding() -> None:
    assert decode_bytes("襄阳".encode(), name="a.txt") == ("襄阳", "utf-8")
    assert decode_bytes("襄阳".encode("gbk"), name="a.txt") == ("襄阳", "gb18030")
    assert decode_bytes(b"\xef\xbb\xbfab", name="a.txt") == ("ab", "utf-8-sig")


def test_decode_logs_encoding_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="geo.text"):
        document_from_bytes("襄阳<br/>".encode("gbk"), name="a.txt")
    messages = [r.getMessage() for r in caplog.records]
    assert any("gb18030" in m for m in messages)
    assert any("masked 5 of 7" in m for m in messages)


# --------------------------------------------------------------------------- refusals


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(DocumentError, match=r"'.*nope\.txt' does not exist; check the path"):
        read_document(missing)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is a directory"):
        read_document(tmp_path)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\u3000\n".encode(), b"\xef\xbb\xbf"])
def test_empty_or_whitespace_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(DocumentError, match=r"'.*plan\.txt' is empty: nothing to read"):
        read_document(write(tmp_path, data))


@pytest.mark.parametrize("text", ["", " \n "])
def test_empty_text(text: str) -> None:
    with pytest.raises(DocumentError, match="'<text>' is empty: nothing to read"):
        document_from_text(text)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"GIF89a\x01\x00", "a GIF image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "a legacy Microsoft Office file"),
        ("襄阳\x00十堰".encode(), r"binary data \(a NUL byte at offset 6\)"),
    ],
)
def test_binary_is_refused(tmp_path: Path, data: bytes, what: str) -> None:
    with pytest.raises(
        DocumentError, match=rf"'.*plan\.txt' is {what}.*convert it to plain text \(\.txt"
    ):
        read_document(write(tmp_path, data))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is not a PDF that can be read"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "is not a Word document"),
    ],
)
def test_a_pdf_or_zip_named_txt_is_read_as_what_it_is(tmp_path: Path, data: bytes, what: str):
    with pytest.raises(DocumentError, match=rf"'.*plan\.txt' {what}"):
        read_document(write(tmp_path, data))


def test_nul_after_first_8kib_is_not_sniffed_but_still_text() -> None:
    # NUL is valid UTF-8; past the sniffed prefix it is kept and masked.
    data = ("襄阳。" * 3000).encode() + b"\x00"
    doc = document_from_bytes(data, name="a.txt")
    assert doc.text.endswith("\x00")
    assert doc.clean.endswith(" ")


@pytest.mark.parametrize(
    ("data", "utf8_offset"),
    [
        (b"\xff\xfe\xfa\xfb\xfc", 0),  # a UTF-16 BOM followed by nothing sensible
        (b"abc\x80def", 3),
        ("襄阳".encode() + b"\xff", 6),
    ],
)
def test_undecodable(data: bytes, utf8_offset: int) -> None:
    with pytest.raises(
        DocumentError,
        match=rf"cannot decode 'bad\.txt': it is neither UTF-8 \(byte 0x[0-9a-f]{{2}} at "
        rf"offset {utf8_offset} is invalid\) nor GB18030.*save it as UTF-8",
    ):
        decode_bytes(data, name="bad.txt")


def test_latin1_misread_as_gb18030_is_refused() -> None:
    data = ("Le d\xe9veloppement de la r\xe9gion: cr\xe9ation de p\xf4les et r\xe9seaux").encode(
        "latin-1"
    )
    data.decode("gb18030")  # the trap: this succeeds
    with pytest.raises(
        DocumentError,
        match=r"offset 4 is invalid\), and read as GB18030 it gives Chinese characters "
        r"inside Latin words.*save it as UTF-8",
    ):
        decode_bytes(data, name="fr.txt")


def test_gb18030_garbage_with_unusual_characters_is_refused() -> None:
    # Valid GB18030 four-byte sequences that decode to rare letters, not Chinese.
    data = b"\x81\x30\x81\x30" * 20 + "襄阳".encode("gbk")
    with pytest.raises(DocumentError, match=r"it gives garbage \(\d+% of its characters"):
        decode_bytes(data, name="junk.txt")


def test_bad_utf8_after_bom_names_offset() -> None:
    with pytest.raises(DocumentError, match=r"byte 0xff at offset 5 is not valid UTF-8"):
        decode_bytes(b"\xef\xbb\xbfab\xff", name="bom.txt")


def test_one_ideograph_between_letters_is_still_gbk() -> None:
    text = "A啊B级景区"
    assert decode_bytes(text.encode("gbk"), name="g.txt") == (text, "gb18030")


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="empty"):
        decode_bytes(b"", name="x.txt")


# --------------------------------------------------------------------------- cleaning


def test_markup_is_masked_in_place() -> None:
    text = '建设<font color="red">襄阳</font>港<br/>&nbsp;&#12345;。'
    clean = clean_text(text)
    assert len(clean) == len(text)
    start = text.index("襄阳")
    assert clean[start : start + 2] == "襄阳"
    assert clean.split() == ["建设", "襄阳", "港", "。"]


@pytest.mark.parametrize(
    "text",
    [
        "溆浦县、鄀国故城、郧阳区",
        "长沙市雨花区㮾下村",
        "G209国道（B 型）提质改造，投资5.6亿元，增长12.5%。",
        "“一主两副”·《规划》——①②③ⅠⅡ ≥50㎡ 30℃ ±2 ×3",
        "Xiāngyáng Shì, Chángshā, lǚyóu",
        "襄阳→十堰 α值",
    ],
)
def test_legit_text_survives(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("襄阳\ufffd\ufffd十堰", ["襄阳", "十堰"]),
        ("襄阳쌥十堰", ["襄阳", "十堰"]),
        ("襄阳⠤十堰", ["襄阳", "十堰"]),
        ("襄阳\ue000十堰", ["襄阳", "十堰"]),
        ("襄阳\x07\x1b十堰", ["襄阳", "十堰"]),
        ("襄阳ꀢ十堰", ["襄阳", "十堰"]),
        ("襄阳\uf900十堰", ["襄阳", "十堰"]),
        ("襄阳ݨጤ﹨ܥ十堰", ["襄阳", "十堰"]),  # rare letters of several scripts
        ("襄阳⠤耤꺤十堰", ["襄阳", "十堰"]),  # common ideographs inside a run go too
        ("襄阳\U00020000ݨ쌥十堰", ["襄阳", "十堰"]),  # CJK extension B inside a run
    ],
)
def test_mojibake_is_masked(text: str, kept: list[str]) -> None:
    clean = clean_text(text)
    assert len(clean) == len(text)
    assert clean.split() == kept


def test_tab_newline_carriage_return_are_kept() -> None:
    assert clean_text("襄阳\t十堰\r\n宜昌") == "襄阳\t十堰\r\n宜昌"


def test_single_rare_block_run_is_kept() -> None:
    # Three CJK Extension A characters in a row are one block, not mixed mojibake.
    assert clean_text("㮾䢺㙟村") == "㮾䢺㙟村"


def test_newline_inside_masked_run_stays() -> None:
    text = "襄阳쌥\n쌥十堰"
    assert clean_text(text) == "襄阳 \n 十堰"


def test_damaged_tag_tail_is_masked() -> None:
    text = "工程¼/font>(市住房城乡建设局"
    clean = clean_text(text)
    assert clean == "工程       (市住房城乡建设局"


def test_seed_002_mojibake_line() -> None:
    doc = read_document(SEED_002)
    line_start = sum(len(line) + 1 for line in doc.text.split("\n")[:17])
    line = doc.text.split("\n")[17]
    clean_line = doc.clean[line_start : line_start + len(line)]
    assert len(doc.clean) == len(doc.text)
    assert "⠤" in line and "/font>" in line  # the fixture is what we think it is

    before = line.index("技兴三湘") + len("技兴三湘")
    after = line.index("(市住房城乡建设局")
    masked = clean_line[before:after]
    assert masked.strip() == ""
    assert not any(
        "HANGUL" in unicodedata.name(c, "") or "BRAILLE" in unicodedata.name(c, "") for c in masked
    )
    assert clean_line[:before] == line[:before]
    assert clean_line[after:] == line[after:]
    assert "(市住房城乡建设局" in clean_line
    assert clean_line[:before].endswith("实施“技兴三湘")
    # And the rest of the document is untouched.
    assert doc.clean[:line_start] == doc.text[:line_start]


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seeds_read_and_mostly_survive(seed: Path) -> None:
    doc = read_document(seed)
    assert doc.encoding == "utf-8"
    changed = sum(a != b for a, b in zip(doc.text, doc.clean, strict=True))
    assert changed <= 150


# --------------------------------------------------------------------------- sentences


def spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n  ", []),
        ("襄阳", ["襄阳"]),
        ("建设襄阳港。推进十堰机场！", ["建设襄阳港。", "推进十堰机场！"]),
        ("一；二;三?四!五？", ["一；", "二;", "三?", "四!", "五？"]),
        ("第一行\n第二行\r\n\n  第三行  ", ["第一行", "第二行", "第三行"]),
        ("他说：“建设襄阳港。”然后呢？", ["他说：“建设襄阳港。”", "然后呢？"]),
        ("（见附件。）下文", ["（见附件。）", "下文"]),
        ("什么？！”好", ["什么？！”", "好"]),
        ("  前导空白。  后面  ", ["前导空白。", "后面"]),
        ("增长5.6%，达到G209.", ["增长5.6%，达到G209."]),
        ("。。。", ["。。。"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


def test_long_line_is_cut_at_a_comma() -> None:
    clause = "推进襄阳至十堰段高速公路扩容改造工程建设"  # 20 chars
    text = "，".join([clause] * 60)  # ~1260 chars, no terminator
    sentences = split_sentences(text)
    assert len(sentences) >= 3
    for s in sentences:
        assert s.end - s.start <= 500
    for s in sentences[:-1]:
        assert text[s.end - 1] == "，"
    assert "".join(text[s.start : s.end] for s in sentences) == text


def test_long_line_without_comma_is_cut_hard() -> None:
    text = "襄" * 1200
    assert [s.end - s.start for s in split_sentences(text)] == [500, 500, 200]


def test_sentence_offsets_are_into_given_text() -> None:
    text = "\n\n  襄阳港。 十堰机场。"
    assert split_sentences(text) == (Sentence(4, 8), Sentence(9, 14))


def test_entity_semicolon_does_not_end_sentence() -> None:
    doc = document_from_text("建设&nbsp;襄阳港。")
    assert texts(doc) == ["建设&nbsp;襄阳港。"]


def test_fully_masked_line_gives_no_sentence() -> None:
    doc = document_from_text("襄阳港。\n<p></p>\n十堰。")
    assert texts(doc) == ["襄阳港。", "十堰。"]


# --------------------------------------------------------------------------- documents


def test_document_from_text() -> None:
    doc = document_from_text(PLAN, name="plan.txt")
    assert doc.name == "plan.txt"
    assert doc.path is None
    assert doc.encoding == "utf-8"
    assert texts(doc) == [
        "加快建设襄阳至南漳高速公路。",
        "推进“襄十随神”城市群协同发展！",
        "湘潭昭山示范区（B 型）：G209 改造。",
    ]


def test_document_from_bytes_gbk() -> None:
    doc = document_from_bytes(PLAN.encode("gbk"), name="upload.txt")
    assert doc == Document(
        name="upload.txt",
        path=None,
        text=PLAN,
        clean=PLAN,
        encoding="gb18030",
        sentences=split_sentences(PLAN),
    )


def test_document_is_frozen() -> None:
    doc = document_from_text(PLAN)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.sentences[0].start = 3  # type: ignore[misc]


def test_document_rejects_mismatched_clean() -> None:
    with pytest.raises(ValueError, match="clean has 1 characters but text has 2"):
        Document(name="x", path=None, text="ab", clean="a", encoding="utf-8", sentences=())


def test_sentence_at() -> None:
    doc = document_from_text("  襄阳港。\n\n十堰机场。")
    first, second = doc.sentences
    assert doc.sentence_at(0) == first  # before the first sentence
    assert doc.sentence_at(2) == first
    assert doc.sentence_at(6) == first  # the newline after it
    assert doc.sentence_at(8) == second
    assert doc.sentence_at(len(doc.text) - 1) == second
    assert doc.sentence_text(doc.sentence_at(9)) == "十堰机场。"


@pytest.mark.parametrize("offset", [-1, 14, 100])
def test_sentence_at_out_of_range(offset: int) -> None:
    doc = document_from_text("  襄阳港。\n\n十堰机场。")
    with pytest.raises(IndexError, match=rf"offset {offset} is outside document"):
        doc.sentence_at(offset)


def test_sentence_at_every_offset_of_a_seed() -> None:
    doc = read_document(SEED_002)
    for s in doc.sentences:
        for offset in (s.start, (s.start + s.end) // 2, s.end - 1):
            assert doc.sentence_at(offset) == s


def clauses(text: str, **kwargs: object) -> list[str]:
    return [text[a:b] for a, b in split_clauses(text, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加快建设襄阳至南漳高速，推进汉江航道整治；完善港口：小河港", [
            "加快建设襄阳至南漳高速", "推进汉江航道整治", "完善港口", "小河港",
        ]),
        # list numbers number the items; they belong to none
        ("1.建设机场2.建设港口", ["建设机场", "建设港口"]),
        ("一、交通二、产业", ["交通", "产业"]),
        ("（一）交通（二）产业", ["交通", "产业"]),
        ("建设G209改线2.5公里", ["建设G209改线2.5公里"]),  # a decimal is no list number
        # brackets inside a name stay; an aside with a list or a clause is its own clause
        ("推进中国(湖北)自由贸易试验区建设", ["推进中国(湖北)自由贸易试验区建设"]),
        ("建设宜(昌)来(凤)高速和沪渝高速(G50)", ["建设宜(昌)来(凤)高速和沪渝高速(G50)"]),
        ("推进航道整治（省交通运输厅、省水利厅负责）完成", [
            "推进航道整治", "省交通运输厅、省水利厅负责", "完成",
        ]),
        ("建设（这是一个很长的说明文字超过十二个字符）港口", [
            "建设", "这是一个很长的说明文字超过十二个字符", "港口",
        ]),
        ("，，。", []),
        ("", []),
    ],
)
def test_split_clauses(text: str, expected: list[str]) -> None:
    assert clauses(text) == expected


def test_split_clauses_in_a_stretch_and_around_kept_spans() -> None:
    text = "前文。襄阳，十堰，随州。后文"
    assert clauses(text, start=3, end=12) == ["襄阳", "十堰", "随州"]
    # a break inside a span to keep is no break
    assert clauses(text, start=3, end=12, keep=[(5, 6)]) == ["襄阳，十堰", "随州"]


def test_doctests() -> None:
    result = doctest.testmod(geo.text, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------- properties

# Text that looks like a plan: Chinese, ASCII, punctuation, markup and mojibake pieces.
plan_alphabet = st.sampled_from(
    list("襄阳十堰宜昌溆浦县㮾下，。！？；、“”（）《》—·% \n\tG209ab<>/&#;")
    + ["<font>", "</font>", "&nbsp;", "¼/font>", "쌥", "⠤", "ݨ", "\ufffd", "\x07"]
)
plan_text = st.lists(plan_alphabet, max_size=200).map("".join)
any_text = st.one_of(st.text(max_size=300), plan_text)


@given(any_text)
@settings(max_examples=300)
def test_clean_text_keeps_length_and_newlines(text: str) -> None:
    clean = clean_text(text)
    assert len(clean) == len(text)
    # Each character is kept or masked with a space; nothing else is ever written.
    masked = [b != a for a, b in zip(text, clean, strict=True)]
    assert clean == "".join(" " if m else a for a, m in zip(text, masked, strict=True))
    # Characters no readable plan holds are always masked, whatever surrounds them ...
    never_in_a_plan = [
        a == "\ufffd"
        or unicodedata.category(a) == "Co"
        or (unicodedata.category(a) in ("Cc", "Cf") and a not in "\n\t\r")
        or any(script in unicodedata.name(a, "") for script in ("HANGUL", "BRAILLE"))
        for a in text
    ]
    assert [b for b, odd in zip(clean, never_in_a_plan, strict=True) if odd] == [" "] * sum(
        never_in_a_plan
    )
    assert [a == "\n" for a in text] == [b == "\n" for b in clean]
    # ... and plain plan text, with the markup and odd characters taken out, is kept whole.
    readable = set("襄阳十堰宜昌溆浦县下，。！？；、“”（）《》—·%G209ab \n\t")
    plain = "".join(c for c in text if c in readable)
    assert clean_text(plain) == plain


@given(any_text)
@settings(max_examples=300)
def test_clauses_are_ordered_spans_without_separators(text: str) -> None:
    previous_end = 0
    for a, b in split_clauses(text):
        assert 0 <= previous_end <= a < b <= len(text)
        assert not set(text[a:b]) & set("，。；！？\n")
        previous_end = b


@given(any_text)
@settings(max_examples=300)
def test_sentences_are_valid_spans(text: str) -> None:
    previous_end = 0
    for s in split_sentences(text):
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= previous_end
        piece = text[s.start : s.end]
        assert piece.strip() == piece
        previous_end = s.end


@given(any_text)
@settings(max_examples=300)
def test_document_sentences_are_valid_in_text(text: str) -> None:
    assume(text.strip())
    doc = document_from_text(text)
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= len(doc.text)
        piece = doc.sentence_text(s)
        assert piece.strip() == piece
        assert doc.sentence_at(s.start) == s


@given(any_text)
@settings(max_examples=300)
def test_utf8_round_trip(text: str) -> None:
    assume(text.strip())
    assume(not text.startswith("\ufeff"))
    assume("\x00" not in text)
    assume(not text.startswith(("%PDF-", "GIF87a", "GIF89a", "{\\rtf")))
    doc = document_from_bytes(text.encode("utf-8"), name="t.txt")
    assert doc.encoding == "utf-8"
    assert doc.text == text
    assert len(doc.clean) == len(text)


# GB2312 level-1 ideographs: lead byte 0xB0-0xD6, trail byte 0xA1-0xFE.
gb2312_hanzi = st.builds(
    lambda lead, trail: bytes([lead, trail]).decode("gb2312"),
    st.integers(0xB0, 0xD6),
    st.integers(0xA1, 0xFE),
)
gb_text = st.lists(
    st.one_of(gb2312_hanzi, st.sampled_from(list("，。、；：“”（）《》—·% \nG209ab"))),
    min_size=1,
    max_size=200,
).map("".join)


@given(gb_text)
@settings(max_examples=200)
def test_gbk_round_trip(text: str) -> None:
    data = text.encode("gbk")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # A few GBK strings are valid UTF-8 too (隆 is C2 A1, "¡"); UTF-8 wins by design.
        assume(False)
    assert decode_bytes(data, name="g.txt") == (text, "gb18030")
