"""Tests for pipeline.ingest: every fixture is built in tmp_path, no model is loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from charset_normalizer import from_bytes

from pipeline.ingest import SUPPORTED_SUFFIXES, IngestIssue, InputDoc, iter_inputs

ARTICLE_PARAGRAPHS = [
    "Colombian police said on Monday that an attack on a military base near Cúcuta killed "
    "three soldiers and wounded eleven others.",
    "The National Liberation Army (ELN) claimed responsibility for the bombing in a statement "
    "posted online, the army said.",
    "Defence Minister Iván Velásquez said the attackers used a truck loaded with explosives and "
    "promised that those responsible would be captured.",
]


def run(*paths: Path | str) -> tuple[list[InputDoc], list[IngestIssue]]:
    out = list(iter_inputs(list(paths)))
    docs = [x for x in out if isinstance(x, InputDoc)]
    issues = [x for x in out if isinstance(x, IngestIssue)]
    assert len(docs) + len(issues) == len(out)
    return docs, issues


def only_issue(issues: list[IngestIssue], severity: str = "error") -> IngestIssue:
    assert len(issues) == 1, [str(i) for i in issues]
    assert issues[0].severity == severity
    return issues[0]


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                    encoding="utf-8")
    return path


# --- issue formatting --------------------------------------------------------------------------

def test_issue_str_full_and_partial():
    issue = IngestIssue("data/x.jsonl", 17, "a12", "text", "text must be a string, got int")
    assert str(issue) == "data/x.jsonl:17: error: doc 'a12', field 'text': text must be a string, got int"
    assert str(IngestIssue("a.txt", None, None, None, "empty document")) == "a.txt: error: empty document"
    warn = IngestIssue("b.jsonl", 3, "b:3", "id", "missing id", severity="warning")
    assert str(warn) == "b.jsonl:3: warning: doc 'b:3', field 'id': missing id"


# --- plain text ------------------------------------------------------------------------------

def test_txt_returned_unchanged_with_stem_id(tmp_path):
    text = "  Title\r\n\nBody line one\r\nwrapped line.\n\n"
    (tmp_path / "story-1.txt").write_bytes(text.encode("utf-8"))
    docs, issues = run(tmp_path / "story-1.txt")
    assert issues == []
    [doc] = docs
    assert (doc.id, doc.text, doc.line) == ("story-1", text, None)
    assert doc.source == str(tmp_path / "story-1.txt")
    assert doc.meta == {"source": str(tmp_path / "story-1.txt")}


def test_utf8_bom_stripped(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfBogot\xc3\xa1 news.")
    docs, issues = run(tmp_path / "bom.txt")
    assert issues == [] and docs[0].text == "Bogotá news."


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), None, "empty", None)
    assert issue.message == "empty document"


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n  \n")
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), None, "blank", None)
    assert issue.message == "empty document"


def test_binary_file_with_nul_bytes(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), None, "image", None)
    assert issue.message == "binary or undecodable file"


def test_undecodable_bytes_without_nul(tmp_path):
    raw = bytes(range(1, 256))  # every byte value but NUL: no text encoding fits
    assert from_bytes(raw).best() is None
    path = tmp_path / "noise.txt"
    path.write_bytes(raw)
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), None, "noise", None)
    assert issue.message == "binary or undecodable file"


def test_invalid_utf8_decoded_by_charset_normalizer_with_warning(tmp_path):
    raw = b"caf\xe9 \xff\xfe na\xefve r\xe9sum\xe9 d\xe9j\xe0 vu"
    best = from_bytes(raw).best()
    assert best is not None  # this input is decodable: a warning and a document, no error
    path = tmp_path / "cafe.txt"
    path.write_bytes(raw)
    docs, issues = run(path)
    warning = only_issue(issues, severity="warning")
    assert (warning.file, warning.line, warning.doc_id, warning.field) == (str(path), None, "cafe", None)
    assert "not valid UTF-8" in warning.message and "at byte 3" in warning.message
    assert f"decoded as {best.encoding}" in warning.message
    [doc] = docs
    assert doc.id == "cafe"
    assert doc.text == raw.decode(best.encoding) == str(best)
    assert doc.text.startswith("café ") and "résumé" in doc.text


def test_latin1_file_decoded_with_warning(tmp_path):
    text = ("Bogotá, Colombia. La policía informó el lunes que el ataque en Medellín dejó tres "
            "muertos y varios heridos. El ministro de Defensa aseguró que los responsables serán "
            "capturados.\n")
    path = tmp_path / "bogota.txt"
    path.write_bytes(text.encode("latin-1"))
    docs, issues = run(path)
    warning = only_issue(issues, severity="warning")
    assert (warning.file, warning.doc_id) == (str(path), "bogota")
    assert "not valid UTF-8" in warning.message and "decoded as " in warning.message
    [doc] = docs
    assert doc.text == text


def test_large_document_returned_intact(tmp_path):
    sentence = "The attack near Kabul killed 12 people, officials said.\n"
    text = sentence * (5 * 1024 * 1024 // len(sentence) + 1)
    assert len(text) > 5 * 1024 * 1024
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8", newline="")
    docs, issues = run(path)
    assert issues == []
    assert len(docs[0].text) == len(text) and docs[0].text == text


def test_large_jsonl_record_returned_intact(tmp_path):
    text = "x" * (5 * 1024 * 1024 + 7)
    path = write_jsonl(tmp_path / "big.jsonl", [{"id": "big", "text": text}])
    docs, issues = run(path)
    assert issues == [] and len(docs[0].text) == len(text)


# --- paths -----------------------------------------------------------------------------------

def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), None, None, None)
    assert "no such file" in issue.message


def test_explicit_unsupported_file(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"id": 1, "text": "hello"}', encoding="utf-8")
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), None, None, None)
    assert "unsupported file type" in issue.message and "'.json'" in issue.message


def test_folder_recursive_sorted_unsupported_ignored(tmp_path):
    root = tmp_path / "data"
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "z.txt").write_text("Zulu text.", encoding="utf-8")
    (root / "b" / "deep" / "d.txt").write_text("Delta text.", encoding="utf-8")
    (root / "b" / "c.TXT").write_text("Charlie text.", encoding="utf-8")
    (root / "a" / "a.txt").write_text("Alpha text.", encoding="utf-8")
    write_jsonl(root / "a" / "recs.jsonl", [{"id": "r1", "text": "Record one."}])
    (root / "a" / "notes.md").write_text("ignored", encoding="utf-8")
    (root / "b" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    (root / "b" / "data.json").write_text("{}", encoding="utf-8")
    docs, issues = run(root)
    assert issues == []
    assert [d.id for d in docs] == ["a", "r1", "c", "d", "z"]
    assert docs[0].source == str(root / "a" / "a.txt")
    assert docs[1].meta == {"source": str(root / "a" / "recs.jsonl"), "line": 1}


def test_same_file_twice_is_read_once(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha.", encoding="utf-8")
    docs, issues = run(tmp_path, tmp_path / "a.txt")
    assert issues == [] and [d.id for d in docs] == ["a"]


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".jsonl")


# --- HTML ------------------------------------------------------------------------------------

def test_html_without_article(tmp_path):
    html = ("<html><head><script>var a = 1;</script></head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World news</a></li></ul></nav>"
            "<script>document.write('Breaking news: something happened today');</script>"
            "<noscript>Enable JavaScript</noscript></body></html>")
    path = tmp_path / "nav-only.html"
    path.write_text(html, encoding="utf-8")
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), None, "nav-only", None)
    assert issue.message == "no article text found in HTML"


def test_html_article_body_and_metadata(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    html = f"""<!DOCTYPE html><html><head><title>Attack kills three soldiers in Colombia</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-04T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<script>var tracking = "do not extract me";</script>
<article><h1>Attack kills three soldiers in Colombia</h1>{body}</article>
<footer>Copyright 2024 News Corp. All rights reserved.</footer></body></html>"""
    path = tmp_path / "colombia.htm"
    path.write_text(html, encoding="utf-8")
    docs, issues = run(path)
    assert issues == []
    [doc] = docs
    assert doc.id == "colombia" and doc.line is None
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in doc.text
    for junk in ("tracking", "Home", "Copyright", "<p>"):
        assert junk not in doc.text
    assert doc.meta == {"title": "Attack kills three soldiers in Colombia", "author": "Jane Doe",
                        "date": "2024-03-04", "source": str(path)}


def test_html_whitespace_only_is_empty(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("\n  \n", encoding="utf-8")
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == [] and (issue.doc_id, issue.message) == ("blank", "empty document")


# --- JSONL -----------------------------------------------------------------------------------

def test_jsonl_malformed_line_among_good_ones(tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        {"id": "a1", "text": "First story."},
        '{"id": "a2", "text": "broken',
        "",
        {"id": "a3", "text": "Third story.", "url": "https://example.org/3",
         "meta": {"lang": "en"}, "entities": [], "relations": []},
        "[1, 2]",
    ])
    docs, issues = run(path)
    assert [(d.id, d.line) for d in docs] == [("a1", 1), ("a3", 4)]
    assert docs[1].meta == {"lang": "en", "url": "https://example.org/3", "source": str(path), "line": 4}
    assert docs[1].source == str(path)
    assert [(i.file, i.line, i.doc_id, i.field, i.severity) for i in issues] == [
        (str(path), 2, None, None, "error"), (str(path), 5, None, None, "error")]
    assert "malformed JSON" in issues[0].message
    assert "expected a JSON object" in issues[1].message
    assert str(issues[0]).startswith(f"{path}:2: error: malformed JSON")


def test_jsonl_record_without_text(tmp_path):
    path = write_jsonl(tmp_path / "recs.jsonl", [{"id": "ok", "text": "Fine."}, {"id": "n1", "title": "x"}])
    docs, issues = run(path)
    issue = only_issue(issues)
    assert [d.id for d in docs] == ["ok"]
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), 2, "n1", "text")
    assert issue.message == "missing text"


def test_jsonl_non_string_text(tmp_path):
    path = write_jsonl(tmp_path / "recs.jsonl", [{"id": "a12", "text": 42}])
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), 1, "a12", "text")
    assert issue.message == "text must be a string, got int"
    assert str(issue) == f"{path}:1: error: doc 'a12', field 'text': text must be a string, got int"


def test_jsonl_empty_text(tmp_path):
    path = write_jsonl(tmp_path / "recs.jsonl", [{"id": "e1", "text": "  \n "}])
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), 1, "e1", "text")
    assert issue.message == "empty document"


def test_jsonl_non_object_meta(tmp_path):
    path = write_jsonl(tmp_path / "recs.jsonl", [{"id": "m1", "text": "Story.", "meta": ["x"]}])
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), 1, "m1", "meta")
    assert issue.message == "meta must be an object, got list"


def test_duplicate_ids_across_files(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "x1", "text": "One."}, {"id": "x1", "text": "Two."}])
    second = tmp_path / "x1.txt"
    second.write_text("Three.", encoding="utf-8")
    docs, issues = run(first, second)
    assert [(d.id, d.text) for d in docs] == [("x1", "One.")]
    assert [(i.file, i.line, i.doc_id, i.field, i.severity) for i in issues] == [
        (str(first), 2, "x1", "id", "error"), (str(second), None, "x1", "id", "error")]
    for issue in issues:
        assert issue.message == f"duplicate document id, first seen at {first}:1"


def test_duplicate_stem_between_txt_and_html(tmp_path):
    (tmp_path / "story.txt").write_text("Plain story.", encoding="utf-8")
    body = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    html = f"<html><body><article>{body}</article></body></html>"
    (tmp_path / "story.html").write_text(html, encoding="utf-8")
    docs, issues = run(tmp_path)
    issue = only_issue(issues)
    assert [d.source for d in docs] == [str(tmp_path / "story.html")]  # sorted: .html < .txt
    expected = (str(tmp_path / "story.txt"), None, "story", "id")
    assert (issue.file, issue.line, issue.doc_id, issue.field) == expected
    assert issue.message == f"duplicate document id, first seen at {tmp_path / 'story.html'}"


def test_jsonl_int_id(tmp_path):
    path = write_jsonl(tmp_path / "recs.jsonl", [{"id": 7, "text": "Seven."}])
    docs, issues = run(path)
    assert issues == []
    assert docs[0].id == "7" and isinstance(docs[0].id, str)


def test_jsonl_int_and_str_id_collide(tmp_path):
    path = write_jsonl(tmp_path / "recs.jsonl", [{"id": 7, "text": "Seven."}, {"id": "7", "text": "Again."}])
    docs, issues = run(path)
    issue = only_issue(issues)
    assert [d.text for d in docs] == ["Seven."]
    assert (issue.line, issue.doc_id, issue.field) == (2, "7", "id") and "first seen at" in issue.message


@pytest.mark.parametrize("record", [{"text": "No id."}, {"id": "", "text": "No id."},
                                    {"id": "  ", "text": "No id."}, {"id": None, "text": "No id."}])
def test_jsonl_missing_id(tmp_path, record):
    path = write_jsonl(tmp_path / "feed.jsonl", [{"id": "first", "text": "Has id."}, record])
    docs, issues = run(path)
    warning = only_issue(issues, severity="warning")
    assert [d.id for d in docs] == ["first", "feed:2"]
    assert (warning.file, warning.line, warning.doc_id, warning.field) == (str(path), 2, "feed:2", "id")
    assert "missing id" in warning.message and "'feed:2'" in warning.message


def test_jsonl_bad_id_type(tmp_path):
    path = write_jsonl(tmp_path / "recs.jsonl", [{"id": [1], "text": "List id."}])
    docs, issues = run(path)
    issue = only_issue(issues)
    assert docs == []
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), 1, None, "id")
    assert issue.message == "id must be a string or an integer, got list"


def test_jsonl_meta_source_not_overwritten(tmp_path):
    record = {"id": "s", "text": "Story.", "meta": {"source": "reuters"}}
    path = write_jsonl(tmp_path / "recs.jsonl", [record])
    docs, _ = run(path)
    assert docs[0].meta == {"source": "reuters", "line": 1}
    assert docs[0].source == str(path)


def test_jsonl_invalid_utf8_line(tmp_path):
    path = tmp_path / "recs.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    docs, issues = run(path)
    issue = only_issue(issues)
    assert [d.id for d in docs] == ["a"]
    assert (issue.file, issue.line, issue.doc_id, issue.field) == (str(path), 2, None, None)
    assert "invalid UTF-8" in issue.message
