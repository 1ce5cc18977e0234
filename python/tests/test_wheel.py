"""The wheel, installed into a fresh venv: the command and the Python API."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT

SENTENCE = "全市高新技术企业达到45家。"


def jsonl(text: str) -> list:
    return [json.loads(line) for line in text.split("\n") if line]


def test_the_venv_has_no_cargo(env):
    # The second command of the analyst's path runs without the toolchain.
    assert shutil.which("cargo", path=env.env()["PATH"]) is None


def test_command_runs_the_samples(env):
    version = env.cmd("--version").stdout
    assert version.startswith("zhibiao "), version
    done = env.cmd("run", "--format", "jsonl", str(ROOT / "samples"))
    facts = jsonl(done.stdout)
    assert len(facts) >= 10, done.stderr
    docs = {f["doc"].rsplit("/", 1)[-1] for f in facts}
    assert len(docs) == len(list((ROOT / "samples").iterdir())), docs
    assert "facts" in done.stderr  # the closing summary, as the binary prints it


def test_command_exit_codes_pass_through(env, tmp_path):
    missing = env.cmd("run", str(tmp_path / "nothing-here"), check=False)
    assert missing.returncode == 2, missing.stderr
    assert "ZB0701" in missing.stderr
    usage = env.cmd("run", "--no-such-flag", check=False)
    assert usage.returncode == 1


def test_extract_a_sentence(env):
    facts = env.py(
        """
        import json, zhibiao
        print(json.dumps(zhibiao.extract(%r), ensure_ascii=False))
        """ % SENTENCE
    )
    assert len(facts) == 1, facts
    fact = facts[0]
    assert (fact["value"], fact["unit"], fact["indicator"]) == (45, "家", "hte_total")
    assert fact["status"] == "actual"
    assert fact["doc"] == "<text>"
    assert SENTENCE.encode()[fact["start"]:fact["end"]].decode().endswith("45家")


def test_extract_keeps_the_contracts_fields_and_url(env):
    facts = env.py(
        """
        import json, zhibiao
        out = zhibiao.extract("2023年,全市技术合同成交额达到12.5亿元。", url="https://example.org/a.html")
        print(json.dumps({"cols": list(zhibiao.COLUMNS), "facts": out}, ensure_ascii=False))
        """
    )
    assert facts["facts"], facts
    for fact in facts["facts"]:
        assert list(fact) == facts["cols"]
        assert fact["doc"] == "https://example.org/a.html"
    assert any(f["value"] == 12.5 and f["unit"] == "亿元" and f["year"] == 2023 for f in facts["facts"])


def test_extract_url_places_the_text_as_a_manifest_does(env):
    out = env.py(
        """
        import json, zhibiao
        text = "全区科技创新工作持续推进，高新技术企业达到77家。"
        alone = zhibiao.extract(text)
        placed = zhibiao.extract(text, url="http://www.jinshui.gov.cn/kjj/21.html")
        print(json.dumps([alone, placed], ensure_ascii=False))
        """
    )
    alone, placed = out
    assert [f["value"] for f in alone] == [77] and alone[0]["region"] is None, alone
    assert [f["value"] for f in placed] == [77], placed
    assert placed[0]["region"] == "郑州市金水区", placed
    assert placed[0]["region_source"] == "manifest"


def test_run_on_the_seeds_gives_the_clis_facts(env, corpus):
    seeds = str(corpus / "seeds")
    cli = jsonl(env.cmd("run", "-q", "--format", "jsonl", seeds).stdout)
    api = env.py(
        """
        import json, sys, zhibiao
        print(json.dumps(zhibiao.run(sys.argv[1], as_frame=False, threads=2), ensure_ascii=False))
        """,
        seeds,
    )
    assert len(cli) > 20
    assert api == cli


def test_run_returns_a_list_without_pandas_and_calls_progress(env, corpus):
    out = env.py(
        """
        import json, sys, zhibiao
        calls = []
        facts = zhibiao.run([sys.argv[1]], progress=lambda done, total: calls.append((done, total)))
        try:
            import pandas
            kind = "frame" if isinstance(facts, pandas.DataFrame) else "other"
        except ImportError:
            kind = "list" if isinstance(facts, list) else "other"
        print(json.dumps({"kind": kind, "calls": calls}))
        """,
        str(corpus / "seeds"),
    )
    assert out["kind"] in ("list", "frame")
    assert out["calls"] and out["calls"][-1] == [5, 5], out


def test_rules_load_on_a_broken_file_gives_diagnostics(env, tmp_path):
    bad = tmp_path / "broken.zb"
    bad.write_text(
        'indicator hte_total "高新技术企业总数" unit 家\n'
        "rule 高企 -> no_such_indicator {\n"
        '    match "高企" "达到" N:家\n'
        '    example "高企达到12家" => 12 actual\n'
        "}\n",
        encoding="utf-8",
    )
    out = env.py(
        """
        import json, sys, zhibiao
        rules = zhibiao.Rules.load(sys.argv[1])
        found = [
            {"code": d.code, "severity": d.severity, "message": d.message, "help": d.help,
             "spans": d.spans, "text": str(d)}
            for d in rules.lint()
        ]
        try:
            rules.extract("高企达到12家")
            raised = None
        except zhibiao.ZhibiaoError as e:
            raised = {"code": e.code, "message": e.message}
        print(json.dumps({"ok": rules.ok, "errors": [d.code for d in rules.errors],
                          "lint": found, "raised": raised}, ensure_ascii=False))
        """,
        str(bad),
    )
    assert out["ok"] is False
    codes = [d["code"] for d in out["lint"]]
    assert "ZB0202" in codes, out
    d = next(d for d in out["lint"] if d["code"] == "ZB0202")
    assert d["severity"] == "error"
    assert d["spans"][0]["line"] == 2 and d["spans"][0]["file"].endswith("broken.zb")
    assert "ZB0202" in d["text"] and "no_such_indicator" in d["text"]
    assert out["errors"] == ["ZB0202"]
    assert out["raised"]["code"] == "ZB0202"


def test_a_missing_file_raises(env, tmp_path):
    out = env.py(
        """
        import json, sys, zhibiao
        try:
            zhibiao.run(sys.argv[1])
            print(json.dumps(None))
        except zhibiao.ZhibiaoError as e:
            print(json.dumps({"code": e.code, "message": e.message, "help": e.help,
                              "is_exception": isinstance(e, Exception)}))
        """,
        str(tmp_path / "no-such-report.txt"),
    )
    assert out is not None, "no exception"
    assert out["code"] == "ZB0701"
    assert "no-such-report.txt" in out["message"]
    assert out["help"]


def test_rules_test_explain_and_eval_match_the_cli(env, corpus, tmp_path):
    out = env.py(
        """
        import json, sys, zhibiao
        rules = zhibiao.Rules.shipped()
        print(json.dumps({
            "test": rules.test(rule="高企总数"),
            "explain": zhibiao.explain(%r, number=45),
            "eval": zhibiao.eval(sys.argv[1], sys.argv[2]),
        }, ensure_ascii=False))
        """ % SENTENCE,
        str(corpus / "gold"),
        str(corpus / "seeds"),
    )
    cli_test = json.loads(env.cmd("test", "--rule", "高企总数", "--format", "json").stdout)
    assert out["test"] == cli_test and cli_test["passed"] > 0
    cli_explain = json.loads(
        env.cmd("explain", "--text", SENTENCE, "--number", "45", "--format", "json").stdout
    )
    assert out["explain"] == cli_explain
    assert out["explain"]["figures"], out["explain"]
    cli_eval = json.loads(
        env.cmd("eval", "--gold", str(corpus / "gold"), str(corpus / "seeds"), "--format", "json").stdout
    )
    assert out["eval"] == cli_eval
    assert 0 < out["eval"]["f1"] <= 1


def test_extract_reads_bytes_in_gbk(env):
    out = env.py(
        """
        import json, zhibiao
        data = %r.encode("gbk")
        facts = zhibiao.extract(data)
        print(json.dumps([[f["value"], f["indicator"], data[f["start"]:f["end"]].decode("gbk")] for f in facts], ensure_ascii=False))
        """ % ("某区科技局工作总结\n" + SENTENCE)
    )
    assert len(out) == 1, out
    value, indicator, matched = out[0]
    assert (value, indicator) == (45, "hte_total")
    assert matched.endswith("45家")
