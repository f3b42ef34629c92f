// Snapshots as compact bytes (orm/detail/snapshot_codec.hpp, snapshot_arena.hpp): every column
// type written and read back exactly, each column's change found on its own, and, through a
// session on every backend, what the snapshot is for: an UPDATE of the changed columns only, a
// rollback that restores every column (also after a flushed UPDATE and a snapshot that grew),
// and a text primary key found from the snapshot after it changed.
#define BOOST_TEST_MODULE orm_snapshot
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/orm.hpp>
#include <reflorm/orm/detail/snapshot_arena.hpp>
#include <reflorm/orm/detail/snapshot_codec.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using reflorm::c;

namespace {

enum class mood : std::int8_t { calm = 1, cross = 7 };

// Every kind of column the snapshot stores, fixed and variable width, nullable or not.
struct Sample {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    double score = 0;
    std::optional<std::int32_t> rank;
    bool active = false;
    reflorm::numeric<12, 2> price{};
    std::optional<reflorm::numeric<20, 5>> exact;
    reflorm::blob data;
    reflorm::uuid token{};
    reflorm::timestamp at{};
    std::optional<reflorm::date> day;
    boost::json::value doc{};
    mood feeling = mood::calm;
};

// A primary key of text and a number: both come from the snapshot's variable and fixed parts.
struct Label {
    std::string code;
    std::int32_t version = 0;
    std::string text;
};

}  // namespace

template <>
struct reflorm::model<Label> {
    static constexpr auto primary_key = reflorm::primary_key<&Label::code, &Label::version>;
};

namespace {

using codec = reflorm::orm_detail::snapshot_codec<Sample>;

Sample full_sample() {
    Sample s;
    s.id = 42;
    s.name = "O'Hara \"\\\t\n ünïcødé";
    s.note = std::string(3000, 'x');  // a record larger than the arena's size classes
    s.score = -0.125;
    s.rank = -5;
    s.active = true;
    s.price = reflorm::numeric<12, 2>("-1234.50");
    s.exact = reflorm::numeric<20, 5>("0.00001");
    s.data = {std::byte{0}, std::byte{0xff}, std::byte{0x27}};
    s.token = reflorm::uuid{{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21}};
    s.at = reflorm::timestamp{std::chrono::seconds{1700000000}};
    s.day = reflorm::date{std::chrono::year{2024}, std::chrono::month{2}, std::chrono::day{29}};
    s.doc = boost::json::parse(R"({"a": [1, 2.5, null], "b": {"c": "d"}})");
    s.feeling = mood::cross;
    return s;
}

std::vector<std::byte> encode(const Sample& s) {
    std::vector<std::byte> bytes(codec::size(s));
    codec::write(s, bytes.data());
    return bytes;
}

bool same(const Sample& a, const Sample& b) {
    return a.id == b.id && a.name == b.name && a.note == b.note && a.score == b.score && a.rank == b.rank && a.active == b.active &&
           a.price == b.price && a.exact == b.exact && a.data == b.data && a.token == b.token && a.at == b.at && a.day == b.day &&
           a.doc == b.doc && a.feeling == b.feeling;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(codec_without_a_database)

BOOST_AUTO_TEST_CASE(every_column_type_round_trips_exactly) {
    for (const Sample& original : {full_sample(), Sample{}}) {
        const auto bytes = encode(original);
        BOOST_TEST(codec::length(bytes.data()) == bytes.size());
        Sample restored;
        restored.name = "something else";
        restored.note = "was set";
        restored.exact = reflorm::numeric<20, 5>("1");
        codec::restore(restored, bytes.data());
        BOOST_TEST(same(restored, original));
        BOOST_TEST(!codec::differs(original, bytes.data()));
        std::string mask;
        BOOST_TEST(!codec::changed_columns(original, bytes.data(), mask));
        BOOST_TEST(mask == std::string(14, '0'));
        BOOST_TEST(codec::get<1>(bytes.data()) == original.name);
        BOOST_TEST(codec::get<0>(bytes.data()) == original.id);
    }
    // The bench's row shape: two numbers, two short texts, a double and a time in 64 bytes or
    // less, against 104 as a std::tuple.
    const Sample empty{};
    BOOST_TEST(codec::size(empty) < sizeof(Sample));
}

BOOST_AUTO_TEST_CASE(each_changed_column_is_found_alone) {
    const Sample original = full_sample();
    const auto bytes = encode(original);
    std::vector<void (*)(Sample&)> changes = {
        [](Sample& s) { s.id = 43; },
        [](Sample& s) { s.name += "!"; },
        [](Sample& s) { s.note.reset(); },
        [](Sample& s) { s.score = 0.125; },
        [](Sample& s) { s.rank.reset(); },
        [](Sample& s) { s.active = false; },
        [](Sample& s) { s.price = reflorm::numeric<12, 2>("-1234.51"); },
        [](Sample& s) { s.exact.reset(); },
        [](Sample& s) { s.data.push_back(std::byte{1}); },
        [](Sample& s) { s.token = reflorm::uuid{}; },
        [](Sample& s) { s.at += std::chrono::seconds{1}; },
        [](Sample& s) { s.day.reset(); },
        [](Sample& s) { s.doc.as_object()["b"] = 1; },
        [](Sample& s) { s.feeling = mood::calm; },
    };
    BOOST_TEST_REQUIRE(changes.size() == 14u);
    for (std::size_t i = 0; i < changes.size(); ++i) {
        Sample changed = original;
        changes[i](changed);
        std::string expected(14, '0');
        expected[i] = '1';
        std::string mask;
        BOOST_TEST(codec::differs(changed, bytes.data()), "column " << i);
        BOOST_TEST(codec::changed_columns(changed, bytes.data(), mask));
        BOOST_TEST(mask == expected);
        codec::restore(changed, bytes.data());
        BOOST_TEST(same(changed, original), "column " << i << " restored");
    }
}

BOOST_AUTO_TEST_CASE(a_json_document_with_its_keys_reordered_is_unchanged) {
    Sample s = full_sample();
    const auto bytes = encode(s);
    s.doc = boost::json::parse(R"({"b": {"c": "d"}, "a": [1, 2.5, null]})");
    BOOST_TEST(!codec::differs(s, bytes.data()));
}

BOOST_AUTO_TEST_CASE(arena_records_are_reused_by_size_and_large_ones_stand_alone) {
    reflorm::orm_detail::snapshot_arena arena;
    std::set<std::byte*> seen;
    std::vector<std::byte*> records;
    for (std::size_t n : {1u, 4u, 12u, 13u, 60u, 1000u, 5000u, 100000u}) {
        std::byte* r = arena.allocate(n);
        BOOST_TEST(reflorm::orm_detail::snapshot_arena::capacity(r) >= n);
        BOOST_TEST(reflorm::orm_detail::snapshot_arena::capacity(r) < n + 16);
        std::memset(r, 0xab, n);  // the whole record is writable (ASan checks)
        BOOST_TEST(seen.insert(r).second);
        records.push_back(r);
    }
    std::byte* sixty = records[4];
    arena.release(sixty);
    arena.release(records[7]);
    BOOST_TEST(arena.allocate(57) == sixty);  // same size class
    BOOST_TEST(arena.allocate(57) != sixty);
    arena.release(nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// Rows whose keys the identity map's key index must spread itself (orm/detail/key_index.hpp).
struct Tick {
    std::int64_t id = 0;
    std::int64_t count = 0;
};

struct fixture {
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() { reflorm::create_all<Sample, Label, Tick>(engine); }
};

std::size_t count_starting(const reflorm::statement_counter& n, std::string_view prefix) {
    std::size_t k = 0;
    for (const auto& s : n.statements()) k += s.starts_with(prefix);
    return k;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(through_a_session, fixture)

BOOST_AUTO_TEST_CASE(a_change_to_one_column_updates_it_alone_and_a_rollback_restores_all) {
    Sample original = full_sample();
    original.note = "short";  // the servers' columns: a 3000-byte note fits, but keep the UPDATEs readable
    {
        reflorm::session s{engine};
        s.add(Sample{original});
        s.commit();
    }
    reflorm::session s{engine};
    auto row = s.get<Sample>(std::int64_t{42});
    BOOST_TEST_REQUIRE(row != nullptr);
    BOOST_TEST(same(*row, original));
    reflorm::statement_counter n{engine};
    row->note = std::string(5000, 'y');  // the snapshot is rewritten larger: a new record
    s.flush();
    BOOST_TEST(count_starting(n, "UPDATE") == 1u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements().back()).starts_with("UPDATE samples SET note = ? WHERE"));
    row->price = reflorm::numeric<12, 2>("0.01");
    row->doc = boost::json::parse("[]");
    s.flush();
    BOOST_TEST(count_starting(n, "UPDATE") == 2u);
    s.rollback();  // both UPDATEs undone: the snapshot and the object are the row as committed
    BOOST_TEST(same(*row, original));
    const auto reread = s.get<Sample>(std::int64_t{42});
    BOOST_TEST(same(*reread, original));
    BOOST_TEST(!s.dirty());
    row->note.reset();
    row->data.clear();
    s.commit();
    reflorm::session check{engine};
    const auto stored = check.get<Sample>(std::int64_t{42});
    BOOST_TEST(!stored->note.has_value());
    BOOST_TEST(stored->data.empty());
    BOOST_TEST(stored->name == original.name);
}

BOOST_AUTO_TEST_CASE(a_text_key_changed_and_rolled_back_is_found_by_its_old_value) {
    {
        reflorm::session s{engine};
        s.add(Label{"alpha", 1, "first"});
        s.add(Label{"beta", 2, "second"});
        s.commit();
    }
    reflorm::session s{engine};
    auto alpha = s.get<Label>(std::string("alpha"), std::int32_t{1});
    BOOST_TEST_REQUIRE(alpha != nullptr);
    alpha->code = "gamma";  // the UPDATE's WHERE names the key the snapshot holds
    s.flush();
    BOOST_TEST(s.get<Label>(std::string("gamma"), std::int32_t{1}) == alpha);
    s.rollback();
    BOOST_TEST(alpha->code == "alpha");
    BOOST_TEST(s.get<Label>(std::string("alpha"), std::int32_t{1}) == alpha);
    alpha->code = "delta";
    alpha->version = 9;
    s.commit();
    auto conn = engine.connect();
    const auto rows = conn.execute(reflorm::select<Label>().order_by(c<&Label::code>)).all();
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[0].code == "beta");
    BOOST_TEST(rows[1].code == "delta");
    BOOST_TEST(rows[1].version == 9);
    BOOST_TEST(rows[1].text == "first");
}

// Keys 2^20 apart share their low bits, and negative keys sit at the top of the index: the
// key index switches to its mixed hash as the rows are read, and every object is still found
// by its key without a statement, updated, deleted and committed.
BOOST_AUTO_TEST_CASE(keys_that_share_their_low_bits_are_each_found_updated_and_deleted) {
    std::vector<std::int64_t> ids;
    for (std::int64_t k = 1; k <= 150; ++k) {
        ids.push_back(k << 20);
        ids.push_back(-k);
    }
    {
        reflorm::session s{engine};
        for (const std::int64_t id : ids) s.add(Tick{id, 0});
        s.commit();
    }
    reflorm::session s{engine};
    const auto all = s.scalars(reflorm::select<Tick>()).all();
    BOOST_TEST_REQUIRE(all.size() == ids.size());
    reflorm::statement_counter n{engine};
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto tick = s.get<Tick>(ids[i]);
        BOOST_TEST_REQUIRE(tick != nullptr);
        BOOST_TEST_REQUIRE(tick->id == ids[i]);
        if (i % 2 == 0) tick->count = ids[i] / 2;
        if (i % 3 == 0) s.delete_(tick);
    }
    BOOST_TEST(n.count() == 0u);  // every get() was answered by the identity map
    s.commit();
    BOOST_TEST(count_starting(n, "UPDATE") >= 1u);
    BOOST_TEST(count_starting(n, "DELETE") >= 1u);
    reflorm::session check{engine};
    const auto rows = check.scalars(reflorm::select<Tick>()).all();
    BOOST_TEST(rows.size() == 200u);
    for (const auto& tick : rows) {
        const auto at = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), tick->id) - ids.begin());
        BOOST_TEST_REQUIRE(at < ids.size());
        BOOST_TEST(at % 3 != 0);
        BOOST_TEST(tick->count == (at % 2 == 0 ? tick->id / 2 : 0));
    }
}

BOOST_AUTO_TEST_SUITE_END()
