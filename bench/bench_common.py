"""Shared by the SQLAlchemy contenders bench/<scenario>_sqlalchemy.py (Debian's python3-sqlalchemy
1.4, written in 2.0 style: future=True engines, Session, select()). The same model, data, seeds,
timing (median of 5 runs), peak RSS and result line as bench/bench_common.hpp; run with
/usr/bin/python3 <program> [DB] (or $REFLORM_BENCH_DB), eager_load_sqlalchemy.py with its strategy
after the DB. On a server (scripts/bench --backend postgresql|mysql) $REFLORM_BENCH_URL and
$REFLORM_BENCH_BULK_URL name the data's and bulk_insert's databases, as for bench_target.hpp, with
Debian's psycopg2 and PyMySQL."""
import os
import resource
import shutil
import statistics
import sys
import time
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, DateTime, Float, ForeignKey, Integer, Text, create_engine
from sqlalchemy.dialects.sqlite import DATETIME
from sqlalchemy.orm import declarative_base

Base = declarative_base()

# reflorm stores reflorm::timestamp on SQLite as 'YYYY-MM-DD HH:MM:SS' (SQLAlchemy's default adds
# microseconds); the servers have a timestamp type of their own.
Timestamp = DateTime().with_variant(
    DATETIME(storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"), "sqlite")

GROUP_COUNT = 1000
ORDER_COUNT = 10000
AGGREGATE_ROWS = 1000
LOOKUP_SEED = 42
EAGER_STRATEGIES = ("joinedload", "selectinload", "subqueryload")
MASK = (1 << 64) - 1


class Row(Base):
    __tablename__ = "rows"
    id = Column(Integer, primary_key=True)
    a = Column(BigInteger, nullable=False)
    text = Column(Text, nullable=False)
    value = Column(Float, nullable=False)
    note = Column(Text)
    at = Column(Timestamp, nullable=False)


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    priority = Column(Text, nullable=False)


class LineItem(Base):
    __tablename__ = "line_items"
    id = Column(Integer, primary_key=True)
    order_id = Column(BigInteger, ForeignKey("orders.id"), nullable=False, index=True)
    quantity = Column(BigInteger, nullable=False)
    price = Column(Float, nullable=False)


def db_path():
    if len(sys.argv) > 1:
        return sys.argv[1]
    return os.environ.get("REFLORM_BENCH_DB", "bench.db")


def env_count(name, fallback):
    value = os.environ.get(name, "")
    return int(value) if value else fallback


def eager_strategy():
    """bench::eager_strategy: eager_load's loading strategy, argv[2]; the scenario is eager_<strategy>."""
    strategy = sys.argv[2] if len(sys.argv) > 2 else ""
    if strategy not in EAGER_STRATEGIES:
        sys.exit("usage: %s DB %s" % (sys.argv[0], "|".join(EAGER_STRATEGIES)))
    return strategy


def sqlalchemy_url(url):
    """A reflorm server URL (postgresql://..., mysql://...) in SQLAlchemy's form, on Debian's drivers."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg2://" + url[len("postgresql://"):]
    if url.startswith("mysql://"):
        return "mysql+pymysql://" + url[len("mysql://"):] + ("&" if "?" in url else "?") + "charset=utf8mb4"
    sys.exit("not a server URL: " + url.split("@")[-1])


def engine_for(path):
    """The data's engine: $REFLORM_BENCH_URL's server, else the SQLite file at `path`."""
    url = os.environ.get("REFLORM_BENCH_URL")
    if url:
        return create_engine(sqlalchemy_url(url), future=True)
    return create_engine("sqlite:///" + path, future=True)


def fresh_bulk_engine(source, contender):
    """bench::fresh_bulk_engine: an engine on an empty `rows` table for one bulk_insert run."""
    url = os.environ.get("REFLORM_BENCH_BULK_URL")
    if url:
        engine = create_engine(sqlalchemy_url(url), future=True)
        Row.__table__.drop(engine, checkfirst=True)
    else:
        remove_bulk_target(source, contender)
        engine = create_engine("sqlite:///%s.bulk_%s.db" % (source, contender), future=True)
    Row.__table__.create(engine)
    return engine


def remove_bulk_target(source, contender):
    if not os.environ.get("REFLORM_BENCH_BULK_URL") and os.path.exists("%s.bulk_%s.db" % (source, contender)):
        os.remove("%s.bulk_%s.db" % (source, contender))


class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def lookup_ids(count, n):
    rng = SplitMix64(LOOKUP_SEED)
    return [rng.next() % n + 1 for _ in range(count)]


def aggregate_low(r):
    """bench::aggregate_low: the first order id of aggregate_join's statement r."""
    return 1 + r * 100 % (ORDER_COUNT - AGGREGATE_ROWS + 1)


def make_row(i, seed):
    """Row i of the data set of `seed`, as bench::make_row builds it (without the object)."""
    rng = SplitMix64((seed * 0x100000001B3 + i) & MASK)
    r1, r2, r3 = rng.next(), rng.next(), rng.next()
    note = "note %d" % (r1 % 100000) if r1 % 3 != 0 else None
    at = datetime.fromtimestamp(1700000000 + i, timezone.utc).replace(tzinfo=None)
    return dict(id=i, a=r1 % GROUP_COUNT + 1, text="text %d" % (r2 % 1000000007), value=(r3 % 1000000) / 1000.0,
                note=note, at=at)


def checksum(row):
    epoch = int(row.at.replace(tzinfo=timezone.utc).timestamp())
    return row.id * 3 + row.a + len(row.text) + int(row.value) + (len(row.note) if row.note is not None else 7) + epoch % 1000


def eager_checksum(parent):
    """bench::eager_checksum: one parent and the children it holds."""
    return parent.id + len(parent.name) + sum(child.id * 3 + child.id * parent.id % 1000 + len(child.name) + int(child.value)
                                              for child in parent.children)


def copy_file(source, target):
    """bench::copy_file: a fresh copy of the data file, synced so that the timed COMMIT's fsync
    does not also write out the whole copy."""
    shutil.copyfile(source, target)
    with open(target, "rb") as f:
        os.fsync(f.fileno())


def change_row(row):
    """bench::change_row: update_session's change to a row it loaded."""
    row.value += 1.5
    if row.id % 2 == 0:
        row.text += "+"


# bench::table_checksum_sql: update_session's checksum of the whole table, summed by SQLite.
TABLE_CHECKSUM_SQL = ("SELECT sum(id * 3 + a + length(text) + CAST(value AS INTEGER) + coalesce(length(note), 7) + "
                      "CAST(strftime('%s', at) AS INTEGER) % 1000) FROM \"rows\"")


def median_seconds(body):
    runs = []
    for run in range(5):
        start = time.perf_counter()
        body(run)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def report(scenario, seconds, check, statements=None):
    """bench::report: `statements`, where given, is the number of statements one run executed."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    extra = "" if statements is None else " %d" % statements
    print("%s sqlalchemy %.6f %d%s" % (scenario, seconds, peak, extra), flush=True)
    print("%s sqlalchemy check %d" % (scenario, check), file=sys.stderr)
    return 0 if check else 1
