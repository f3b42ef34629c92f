"""aggregate_join, SQLAlchemy: select(Order.id, Order.priority, func.count(), func.sum(LineItem.price))
joined, filtered on a range of order ids and grouped as reflorm's statement (the same SQL), executed
REFLORM_BENCH_REPS times through a Session with the next range bound each time, its 1,000 rows
read as tuples."""
import sys

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

import bench_common as b


def main():
    engine = b.engine_for(b.db_path())
    reps = b.env_count("REFLORM_BENCH_REPS", 10000)
    statement = (select(b.Order.id, b.Order.priority, func.count(), func.sum(b.LineItem.price))
                 .join(b.LineItem, b.LineItem.order_id == b.Order.id)
                 .where(b.Order.id.between(bindparam("low"), bindparam("high")))
                 .group_by(b.Order.id))
    check = 0

    def body(_run):
        nonlocal check
        check = 0
        with Session(engine, future=True) as session:
            for r in range(reps):
                low = b.aggregate_low(r)
                for order_id, priority, count, total in session.execute(
                        statement, {"low": low, "high": low + b.AGGREGATE_ROWS - 1}).all():
                    check += order_id + len(priority) + count + round((total or 0) * 100)  # as bench::aggregate_checksum

    return b.report("aggregate_join", b.median_seconds(body), check)


if __name__ == "__main__":
    sys.exit(main())
