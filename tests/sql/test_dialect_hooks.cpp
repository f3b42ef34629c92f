// sql layer: the rendering hooks of sql::compiler. A dialect that overrides none renders the
// ANSI form of every construct; the row-value IN per dialect; a dialect that lacks a construct
// throws unsupported_feature_error naming the construct and the dialect.
#include <boost/test/unit_test.hpp>

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/reflorm.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace hooks_test {

struct Item {
    std::int64_t id;
    std::string name;
    std::optional<std::string> note;
    double price;
};

// A composite primary key: selectinload batches it with a row-value IN.
struct Pair {
    std::int64_t left;
    std::int64_t right;
    std::string label;
};

// A dialect that overrides no rendering hook.
class ansi_compiler : public reflorm::sql::compiler {
public:
    reflorm::sql::dialect_id id() const noexcept override { return reflorm::sql::dialect_id::sqlite; }
    std::string_view name() const noexcept override { return "ansi"; }
};

// A dialect without ILIKE or its emulation.
class no_ilike_compiler final : public ansi_compiler {
public:
    std::string_view name() const noexcept override { return "no-ilike"; }
    void ilike(reflorm::sql::render_context&, reflorm::sql::fragment, reflorm::sql::fragment, bool) const override {
        unsupported("case-insensitive LIKE", "compare lower() of both sides with like()");
    }
};

}  // namespace hooks_test

using namespace hooks_test;

template <>
struct reflorm::model<Item> {
    static constexpr std::string_view table = "items";
};
template <>
struct reflorm::model<Pair> {
    static constexpr std::string_view table = "pairs";
    static constexpr auto primary_key = reflorm::primary_key<&Pair::left, &Pair::right>;
};

using reflorm::c;
namespace rd = reflorm::dialect;

namespace {

std::string in_keys(const reflorm::sql::compiler& dialect, std::size_t count) {
    reflorm::sql::render_context ctx{dialect};
    constexpr const auto& table = reflorm::schema::table_of<Pair>;
    reflorm::sql::render_in_keys(ctx, table.name, table, table.primary_key, count);
    return ctx.sql;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dialect_hooks)

BOOST_AUTO_TEST_CASE(a_dialect_overriding_no_hook_renders_the_ansi_forms) {
    const ansi_compiler ansi;
    const auto q = reflorm::select(c<&Item::name> + "!", reflorm::round(c<&Item::price>, 2))
                       .where(c<&Item::name>.ilike("a%"))
                       .order_by(c<&Item::note>.desc().nulls_last());
    BOOST_TEST(reflorm::sql::to_sql(q, ansi) ==
               "SELECT items.name || ?, round(items.price, ?) FROM items WHERE lower(items.name) LIKE lower(?) "
               "ORDER BY items.note DESC NULLS LAST");
    BOOST_TEST(in_keys(ansi, 2) == "(pairs.\"left\", pairs.\"right\") IN ((?, ?), (?, ?))");
}

BOOST_AUTO_TEST_CASE(row_value_in_per_dialect) {
    BOOST_TEST(in_keys(rd::sqlite(), 2) == "(pairs.\"left\", pairs.\"right\") IN (VALUES (?, ?), (?, ?))");
    BOOST_TEST(in_keys(rd::postgresql(), 2) == "(pairs.\"left\", pairs.\"right\") IN (($1, $2), ($3, $4))");
    BOOST_TEST(in_keys(rd::mysql(), 1) == "(pairs.`left`, pairs.`right`) IN ((?, ?))");
}

BOOST_AUTO_TEST_CASE(a_construct_the_dialect_lacks_names_itself_and_the_dialect) {
    const no_ilike_compiler dialect;
    const auto q = reflorm::select(c<&Item::id>).where(c<&Item::name>.ilike("a%"));
    BOOST_CHECK_EXCEPTION(reflorm::sql::to_sql(q, dialect), reflorm::sql::unsupported_feature_error, [](const auto& e) {
        return std::string(e.what()) ==
               "reflorm: no-ilike has no case-insensitive LIKE; compare lower() of both sides with like()";
    });
    // What it has still renders.
    BOOST_TEST(reflorm::sql::to_sql(reflorm::select(c<&Item::id>).where(c<&Item::name>.like("a%")), dialect) ==
               "SELECT items.id FROM items WHERE items.name LIKE ?");
}

BOOST_AUTO_TEST_SUITE_END()
