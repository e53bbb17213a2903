"""A fresh database for `bench.throughput`, migrated and seeded by the code that will serve it.

    python bench/prepare.py DATABASE OPERATIONS OUT     # DATABASE: a URL, or "" for a new SQLite file

`bench.throughput` runs this file as a script in each contender's checkout, with that checkout
first on PYTHONPATH: `bench.common` below is then the contender's own (its `fresh_database`
runs its own migrations, its `seed_checkins` and `seed_shop` write through its own models), so a
commit with another schema than this checkout's can take turns with it. Only those two
functions and `fresh_database` are used, with the signatures they have had since the first
benchmark (2a138b8). Writes to OUT, as JSON, the database's URL, the working directory and, for
each operation, the (token, path, JSON body) of every distinct request the load may send.
"""
import json
import sys
from pathlib import Path


def requests_for(common, operations: list[str], url: str) -> dict[str, list[tuple[str, str, str]]]:
    requests = {}
    if "checkins" in operations:
        requests["checkins"] = [(token, "/api/v1/checkins", f'{{"code":"{code}"}}')
                                for token, code in common.seed_checkins(url, volunteers=3000, activities=12)]
    if {"redemptions", "fulfilments"} & set(operations):
        if not hasattr(common, "seed_shop"):
            sys.exit("this commit's bench cannot seed redemptions (no bench.common.seed_shop): check-ins only")
        redeem, fulfil = common.seed_shop(url, volunteers=6000,
                                          vouchers=24000 if "fulfilments" in operations else 0)
        requests["redemptions"] = [(token, "/api/v1/redemptions", f'{{"reward_id":{reward}}}')
                                   for _ in range(4) for token, reward in redeem]
        requests["fulfilments"] = [(token, "/api/v1/redemptions/fulfil", f'{{"voucher_code":"{code}"}}')
                                   for token, code in fulfil]
    return {operation: requests[operation] for operation in operations}


def main() -> None:
    database, operations, out = sys.argv[1:]
    from bench import common  # the contender's, by PYTHONPATH

    url, workdir = common.fresh_database(database or None)
    prepared = {"url": url, "workdir": str(workdir),
                "requests": requests_for(common, operations.split(","), url)}
    Path(out).write_text(json.dumps(prepared), encoding="utf-8")


if __name__ == "__main__":
    main()
