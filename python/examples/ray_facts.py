"""zhibiao over a folder of reports with Ray Data: one report per row
(read_binary_files), facts out through map_batches.

    python python/examples/ray_facts.py REPORTS_DIR

Every Ray worker needs the zhibiao wheel (runtime_env={"pip": [...]} or a
cluster image with it installed). Here Ray starts a local cluster.
"""

import sys
import time

import pandas as pd
import ray

import zhibiao


class Facts:
    """A callable class: Ray builds one per actor, so the rules compile once."""

    def __init__(self):
        self.rules = zhibiao.Rules.shipped()

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for path, content in zip(batch["path"], batch["bytes"]):
            rows.extend(self.rules.extract(content, url=path))
        return pd.DataFrame.from_records(rows, columns=list(zhibiao.COLUMNS))


def main(reports):
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    started = time.perf_counter()
    files = ray.data.read_binary_files(reports, include_paths=True)
    # Two actors of half a CPU each: on a 2-CPU machine a whole CPU stays
    # for reading files (with two 1-CPU actors the read never got scheduled).
    facts = files.map_batches(
        Facts,
        batch_format="pandas",
        batch_size=16,
        compute=ray.data.ActorPoolStrategy(size=2),
        num_cpus=0.5,
    )
    df = facts.to_pandas()
    print(f"{files.count()} reports, {len(df)} facts in {time.perf_counter() - started:.1f}s")
    print(df.groupby(["indicator", "status"]).size().head(8))
    ray.shutdown()


if __name__ == "__main__":
    main(*sys.argv[1:])
