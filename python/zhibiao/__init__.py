"""zhibiao (指标): pull numeric indicators out of Chinese science-and-technology
bureau reports, from Python.

A thin layer over the Rust library the ``zhibiao`` command is built from:
the same rules, engine and output contract (docs/output.md), no second
engine. See docs/python.md.

    >>> import zhibiao
    >>> zhibiao.extract("全市高新技术企业达到45家。")[0]["value"]
    45
    >>> df = zhibiao.run("reports/")            # a DataFrame with pandas
    >>> rules = zhibiao.Rules.load("rules/")    # lint, test, run your own
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Iterable, Optional, Union

from ._errors import ZhibiaoError, ZhibiaoWarning
from ._native import COLUMNS as _native_columns
from ._native import Diagnostic, NativeRules, __version__

__all__ = [
    "COLUMNS",
    "Diagnostic",
    "Rules",
    "ZhibiaoError",
    "ZhibiaoWarning",
    "__version__",
    "eval",
    "explain",
    "extract",
    "run",
]

#: The fields of a fact, in the order of the CSV's columns and the JSONL
#: contract (docs/output.md), from the library itself.
COLUMNS = tuple(_native_columns)

PathLike = Union[str, "os.PathLike[str]"]


def _paths(paths: Union[PathLike, Iterable[PathLike], None]) -> list:
    if paths is None:
        return []
    if isinstance(paths, (str, bytes, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _strings(value: Union[str, Iterable[str], None]) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _facts(jsonl: str) -> list:
    # Split on "\n" only: evidence may hold U+2028, which str.splitlines()
    # would also split on.
    return [json.loads(line) for line in jsonl.split("\n") if line]


def _frame(facts: list, as_frame: Optional[bool]):
    if as_frame is False:
        return facts
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise
        return facts
    return pd.DataFrame.from_records(facts, columns=list(COLUMNS))


def _warn(problems) -> None:
    for d in problems:
        warnings.warn(ZhibiaoWarning(f"{d.code}: {d.message}"), stacklevel=3)


class Rules:
    """Rule files (or the shipped rules), checked and compiled once.

    ``Rules.load(path_or_dir, ...)`` never raises for mistakes in the rules:
    ``lint()`` lists them as :class:`Diagnostic` values, and running rules
    that have errors raises :class:`ZhibiaoError`. A path that does not
    exist shows as a ZB0701 error the same way.
    """

    __slots__ = ("_native",)

    def __init__(self, native: NativeRules):
        self._native = native

    @classmethod
    def load(cls, *paths: PathLike) -> "Rules":
        """Loads rule files or folders; with no path, the shipped rules."""
        return cls(NativeRules.load(_paths(paths)))

    @classmethod
    def shipped(cls) -> "Rules":
        """The rules built into zhibiao (``rules/`` of its repository)."""
        global _SHIPPED
        if _SHIPPED is None:
            _SHIPPED = cls(NativeRules.load([]))
        return _SHIPPED

    @property
    def ok(self) -> bool:
        """Whether the rules loaded without errors (and can run)."""
        return self._native.ok

    @property
    def paths(self) -> list:
        """The paths loaded (empty: the shipped rules)."""
        return [os.fspath(p) for p in self._native.paths]

    @property
    def errors(self) -> list:
        """The errors that stop these rules from running (empty when ``ok``)."""
        return self._native.errors()

    def lint(self, *, strict: bool = False) -> list:
        """Every diagnostic ``zhibiao lint`` gives for these rules, as
        :class:`Diagnostic` values (``code``, ``severity``, ``message``,
        ``help``, ``spans``; ``str(d)`` renders it). The files are read
        again. ``strict``: the shipping standard (examples required)."""
        return self._native.lint(strict)

    def provinces(self) -> list:
        """The provinces these rules have a file for."""
        return self._native.provinces()

    def test(self, *, rule: Union[str, Iterable[str], None] = None, all: bool = False) -> dict:
        """Runs the rules' examples: the document ``zhibiao test --format
        json`` prints (passed, failed, todo, examples …)."""
        return json.loads(self._native.test_json(_strings(rule), all))

    def extract(
        self,
        text: Union[str, bytes],
        *,
        province: Optional[str] = None,
        url: Optional[str] = None,
    ) -> list:
        """The facts of one text as dicts with the JSONL contract's fields:
        a ``str``, or ``bytes`` as read from a file (any encoding and format
        ``zhibiao run`` reads: UTF-8, GBK, Big5; text or HTML). ``url`` (or
        ``"<text>"``) is their ``doc``, and places the report (its region,
        ``region_source`` ``manifest``) as a ``--sources`` manifest's URL
        does; ``province`` a province name, else detected. ``start``/``end`` index the UTF-8 bytes of a ``str``."""
        if isinstance(text, str):
            data = text.encode("utf-8")
        elif isinstance(text, (bytes, bytearray, memoryview)):
            data = bytes(text)
        else:
            raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
        name = url if url is not None else "<text>"
        return _facts(self._native.extract_jsonl(data, name, province, url))

    def run(
        self,
        paths: Union[PathLike, Iterable[PathLike]],
        *,
        province: Optional[str] = "auto",
        threads: Optional[int] = None,
        progress: Any = False,
        as_frame: Optional[bool] = None,
    ) -> Any:
        """Runs on report files and folders (walked as ``zhibiao run`` walks
        them). Returns a pandas DataFrame with the CSV's columns when pandas
        is installed (``as_frame=False``: always a list of dicts). A path
        that does not exist raises :class:`ZhibiaoError`; a report that
        cannot be read is left out with a :class:`ZhibiaoWarning`.
        ``progress``: True for a bar (tqdm if installed, else lines on
        stderr), or a callable ``f(done, total)``. The GIL is released
        while reports are matched."""
        callback = _progress(progress)
        try:
            out, problems = self._native.run_jsonl(
                _paths(paths), province, threads, callback
            )
        finally:
            close = getattr(callback, "close", None)
            if close is not None:
                close()
        _warn(problems)
        return _frame(_facts(out), as_frame)

    def explain(
        self,
        text: Optional[str] = None,
        *,
        report: Optional[PathLike] = None,
        number: Union[str, int, float, None] = None,
        at: Optional[str] = None,
        rule: Union[str, Iterable[str], None] = None,
        indicator: Union[str, Iterable[str], None] = None,
        province: Optional[str] = None,
        limit: int = 3,
        max_figures: int = 30,
        all: bool = False,
        gold: Optional[PathLike] = None,
        reports: Optional[PathLike] = None,
    ) -> dict:
        """Why (not) a figure: the document ``zhibiao explain --format
        json`` prints, for a text or a ``report`` file."""
        return json.loads(
            self._native.explain_json(
                text,
                os.fspath(report) if report is not None else None,
                number=None if number is None else str(number),
                at=at,
                rule=_strings(rule),
                indicator=_strings(indicator),
                province=province,
                limit=limit,
                max_figures=max_figures,
                all=all,
                gold=os.fspath(gold) if gold is not None else None,
                reports=os.fspath(reports) if reports is not None else None,
            )
        )

    def eval(
        self,
        gold_dir: PathLike,
        reports: Union[PathLike, Iterable[PathLike]],
        *,
        province: Optional[str] = None,
        indicator: Union[str, Iterable[str], None] = None,
        rule: Union[str, Iterable[str], None] = None,
        explain: bool = True,
    ) -> dict:
        """Scores against annotations: the document ``zhibiao eval --format
        json`` prints (score.py's keys first). Unreadable annotation files
        or reports are left out with a :class:`ZhibiaoWarning`."""
        out, problems = self._native.eval_json(
            os.fspath(gold_dir),
            _paths(reports),
            province=province,
            indicator=_strings(indicator),
            rule=_strings(rule),
            explain=explain,
        )
        _warn(problems)
        return json.loads(out)

    def __repr__(self) -> str:
        where = ", ".join(self.paths) or "shipped"
        state = "ok" if self.ok else f"{len(self.errors)} errors"
        return f"<zhibiao.Rules {where} ({state})>"


_SHIPPED: Optional[Rules] = None


def _rules(rules: Union[Rules, PathLike, Iterable[PathLike], None]) -> Rules:
    if rules is None:
        return Rules.shipped()
    if isinstance(rules, Rules):
        return rules
    return Rules.load(*_paths(rules))


class _Bar:
    """``progress=True``: tqdm when installed, else a line on stderr now and then."""

    def __init__(self):
        self._bar = None
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            try:
                from tqdm.auto import tqdm

                self._bar = tqdm(total=total, unit="report")
            except ImportError:
                self._bar = False
        if self._bar:
            self._bar.update(done - self._bar.n)
        elif total and (done == total or done * 10 // total != self._last):
            import sys

            self._last = done * 10 // total
            print(f"zhibiao: {done}/{total} reports", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar:
            self._bar.close()


def _progress(progress: Any):
    if progress is True:
        return _Bar()
    if callable(progress):
        return progress
    return None


def extract(
    text: str,
    *,
    province: Optional[str] = None,
    rules: Union[Rules, PathLike, Iterable[PathLike], None] = None,
    url: Optional[str] = None,
) -> list:
    """The facts of one text as a list of dicts with the JSONL contract's
    fields (docs/output.md): doc, indicator, value, unit, status, year,
    months, rule, start, end, evidence, qualifier, upper, province, region,
    rule_set. ``rules``: a :class:`Rules`, rule files or folders, or None for
    the shipped rules; ``url`` is the facts' ``doc`` (default ``"<text>"``)."""
    return _rules(rules).extract(text, province=province, url=url)


def run(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    rules: Union[Rules, PathLike, Iterable[PathLike], None] = None,
    province: Optional[str] = "auto",
    threads: Optional[int] = None,
    progress: Any = False,
    as_frame: Optional[bool] = None,
) -> Any:
    """Runs the rules over report files and folders: a pandas DataFrame with
    the CSV's columns (:data:`COLUMNS`) when pandas is installed, else a list
    of dicts — the facts ``zhibiao run`` writes, in its order. See
    :meth:`Rules.run`."""
    return _rules(rules).run(
        paths, province=province, threads=threads, progress=progress, as_frame=as_frame
    )


def explain(
    text: Optional[str] = None,
    *,
    rules: Union[Rules, PathLike, Iterable[PathLike], None] = None,
    **options: Any,
) -> dict:
    """Why a figure was or was not taken: the JSON document of ``zhibiao
    explain --format json`` (``number=``, ``at=``, ``rule=``,
    ``indicator=``, ``report=`` a file instead of a text …). See
    :meth:`Rules.explain`."""
    return _rules(rules).explain(text, **options)


def eval(  # noqa: A001 - the CLI's name
    gold_dir: PathLike,
    reports: Union[PathLike, Iterable[PathLike]],
    *,
    rules: Union[Rules, PathLike, Iterable[PathLike], None] = None,
    **options: Any,
) -> dict:
    """Scores the rules against annotations: the JSON document of ``zhibiao
    eval --format json``. See :meth:`Rules.eval`."""
    return _rules(rules).eval(gold_dir, reports, **options)
