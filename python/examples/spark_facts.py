"""zhibiao over a folder of reports with PySpark: one report per row
(Spark's binaryFile source), facts out through mapInPandas.

    python python/examples/spark_facts.py REPORTS_DIR [OUT.parquet]

Every executor needs the zhibiao wheel installed (pip install it on the
workers, or ship it with --py-files / a conda-pack environment). Local mode
here (local[2]); on a cluster, drop .master(...).
"""

import os
import sys
import time

import pandas as pd
from pyspark.sql import SparkSession

import zhibiao

# The facts' columns (zhibiao.COLUMNS) with Spark types.
SCHEMA = (
    "doc string, indicator string, value double, unit string, status string, "
    "year int, months string, rule string, start long, end long, evidence string, "
    "qualifier string, upper double, province string, region string, rule_set string, "
    "adcode string, region_source string, indicator_name string, line long, column long, "
    "evidence_original string"
)


def facts_of(batches):
    """mapInPandas: batches of (path, content) rows in, batches of facts out."""
    import zhibiao  # on the executor

    rules = zhibiao.Rules.shipped()  # compiled once per Python worker
    for batch in batches:
        rows = []
        for path, content in zip(batch["path"], batch["content"]):
            # Bytes as read: zhibiao decodes (UTF-8, GBK, Big5) and reads HTML
            # itself, so start/end are offsets into these bytes.
            rows.extend(rules.extract(content, url=path))
        yield pd.DataFrame.from_records(rows, columns=list(zhibiao.COLUMNS))


def main(reports, out=None):
    # Local mode: the workers run this Python (with zhibiao and pandas), not
    # whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master("local[2]").appName("zhibiao").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter()
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(reports)
        .select("path", "content")
    )
    facts = files.mapInPandas(facts_of, schema=SCHEMA)
    if out:
        facts.write.mode("overwrite").parquet(out)
        n = spark.read.parquet(out).count()
    else:
        n = facts.count()
    print(f"{files.count()} reports, {n} facts in {time.perf_counter() - started:.1f}s")
    facts.groupBy("indicator", "status").count().orderBy("indicator", "status").show(8)
    spark.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
