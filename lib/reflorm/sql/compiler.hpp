#pragma once
// The base SQL renderer. It holds every rendering rule once, in ANSI form; each dialect
// (lib/reflorm/dialect/) overrides only the hooks where its SQL differs.
#include <reflorm/schema/table.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace reflorm::sql {

enum class dialect_id : std::uint8_t { sqlite, postgresql, mysql, mariadb };
inline constexpr std::size_t dialect_count = 4;

struct render_context;

/// A sub-expression handed to a rendering hook, which renders it where its dialect's SQL puts
/// it. Non-owning: it lives for the hook's call only.
class fragment {
public:
    /// `compound`: the node is itself an infix operation, parenthesised as an operand.
    template <class Node>
        requires(!std::is_same_v<Node, fragment>)
    explicit fragment(const Node& node, bool compound = false) noexcept
        : node_(&node),
          render_([](const void* n, render_context& ctx) { static_cast<const Node*>(n)->render(ctx); }),
          compound_(compound) {}

    /// Renders the node.
    void operator()(render_context& ctx) const { render_(node_, ctx); }
    /// Renders the node as an operand of an infix operator: in parentheses when compound.
    void operand(render_context& ctx) const;

private:
    const void* node_;
    void (*render_)(const void*, render_context&);
    bool compound_;
};

class compiler {
public:
    virtual ~compiler() = default;

    virtual dialect_id id() const noexcept = 0;
    /// "sqlite", "postgresql" or "mysql".
    virtual std::string_view name() const noexcept = 0;

    /// Appends `identifier`, quoted only when it needs to be: when it is not all lower-case
    /// letters, digits and underscores, starts with a digit, or is a reserved word.
    void identifier(std::string& out, std::string_view identifier) const;
    /// Appends the placeholder of the `number`-th bound parameter (1-based).
    virtual void placeholder(std::string& out, std::size_t number) const;

    // Rendering hooks, one per construct whose SQL differs between dialects. The base renders
    // the ANSI form; a dialect overrides where its SQL differs, and throws
    // unsupported_feature_error (through unsupported()) for a construct it lacks.

    /// String concatenation: `a || b`. MySQL: `concat(a, b)` (|| is OR there).
    virtual void concat(render_context& ctx, fragment left, fragment right) const;
    /// Case-insensitive `value [NOT] LIKE pattern`: `lower(value) LIKE lower(pattern)`.
    /// PostgreSQL: `value ILIKE pattern`.
    virtual void ilike(render_context& ctx, fragment value, fragment pattern, bool negated) const;
    /// `round(value)`, or `round(value, ?)` binding the digits as the next parameter.
    /// PostgreSQL: `round(CAST(value AS NUMERIC), CAST(? AS INTEGER))` (it rounds to digits only
    /// NUMERIC values).
    virtual void round(render_context& ctx, fragment value, bool with_digits) const;
    /// An ORDER BY item that places NULLs: `e ASC|DESC NULLS FIRST|LAST`. MySQL, which has no
    /// NULLS FIRST/LAST: `e IS NULL DESC|ASC, e ASC|DESC` (renders `e` twice).
    virtual void order_nulls(render_context& ctx, fragment e, bool descending, bool nulls_first) const;
    /// What follows `(a, b)` in a row-value IN over `rows` rows of `width` placeholders:
    /// ` IN ((?, ?), ...)`. SQLite, which takes row values in IN only from a VALUES list or a
    /// subquery: ` IN (VALUES (?, ?), ...)`.
    virtual void tuple_in(render_context& ctx, std::size_t rows, std::size_t width) const;
    /// Throws unsupported_feature_error: "reflorm: <dialect> has no <construct>; <remedy>".
    [[noreturn]] void unsupported(std::string_view construct, std::string_view remedy) const;

    /// Appends " LIMIT ?" and/or " OFFSET ?"; `parameters` counts the placeholders so far.
    virtual void limit_offset(std::string& out, bool has_limit, bool has_offset, std::size_t& parameters) const;

    /// The column's type in CREATE TABLE.
    virtual std::string type_name(const schema::column_info& column, bool in_key) const;
    /// Text after the type for a database-generated key (MySQL's AUTO_INCREMENT, ...).
    virtual std::string_view autoincrement_clause() const { return {}; }
    /// The dialect's name for a function known by its common name ("length" -> MySQL's "char_length").
    virtual std::string_view function_name(std::string_view name) const { return name; }
    /// now(): the current time as a timestamp of whole seconds in the session's time zone (UTC).
    virtual std::string_view current_timestamp_sql() const { return "CURRENT_TIMESTAMP"; }
    /// The type name in CAST(e AS type).
    virtual std::string cast_type_name(const schema::column_info& column) const { return type_name(column, false); }
    // The flags below are engine behaviour: the engine (or a program) picks a path by them
    // (check for a table or key first, post-update instead of deferring, RETURNING or the
    // insert id), and the DDL or statement text follows the same answer.

    /// Whether CREATE INDEX accepts IF NOT EXISTS.
    virtual bool create_index_if_not_exists() const { return true; }
    /// Whether foreign keys may be DEFERRABLE.
    virtual bool supports_deferrable() const { return true; }
    /// A statement that defers foreign key checks to COMMIT inside the current transaction;
    /// empty when the dialect has none.
    virtual std::string_view defer_foreign_keys_sql() const { return {}; }
    /// Whether ALTER TABLE can add and drop a foreign key: then create_all adds the keys that
    /// close a reference cycle after creating the tables, and drop_all drops them first, as
    /// SQLAlchemy's use_alter. SQLite cannot and needs not: it checks references only when rows
    /// are written.
    virtual bool alters_foreign_keys() const { return true; }
    /// How ALTER TABLE names a foreign key it drops: CONSTRAINT; MySQL: FOREIGN KEY.
    virtual std::string_view drop_foreign_key_keyword() const { return "CONSTRAINT"; }
    /// Whether a foreign key is dropped by `ALTER TABLE IF EXISTS t DROP ... IF EXISTS fk`
    /// (PostgreSQL, MariaDB 10.5+). MySQL 8 has neither IF EXISTS: drop_all asks
    /// foreign_key_exists_sql() first and drops with plain `ALTER TABLE t DROP FOREIGN KEY fk`.
    virtual bool drop_foreign_key_if_exists() const { return true; }
    /// A query counting the foreign keys of the connection's schema on the table named by its
    /// first parameter and named by its second; used where drop_foreign_key_if_exists() is false.
    virtual std::string_view foreign_key_exists_sql() const { return {}; }
    /// A query counting the tables of the connection's schema named by its one parameter.
    virtual std::string_view table_exists_sql() const {
        return "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1";
    }
    /// Whether INSERT ... RETURNING is available.
    virtual bool supports_returning() const { return true; }
    /// Whether UPDATE ... RETURNING is (MariaDB has RETURNING for INSERT and DELETE only).
    virtual bool supports_update_returning() const { return supports_returning(); }
    /// Whether the engine reads generated keys and server defaults of its own INSERTs (insert,
    /// insert_all, the session's flush) with RETURNING; else from the insert id and a SELECT.
    virtual bool returns_generated_keys() const { return supports_returning(); }
    /// What stands in INSERT ... VALUES for a key the database generates (nothing is bound for
    /// it): DEFAULT; SQLite, whose VALUES has no DEFAULT, NULL.
    virtual std::string_view generated_key_sql() const { return "DEFAULT"; }
    /// What follows `INSERT INTO t` when every column is left to the database.
    virtual std::string_view default_values_sql() const { return " DEFAULT VALUES"; }
    /// Whether a generated key is bound as NULL in the INSERT (SQLite's rowid takes NULL) rather
    /// than left out of it (identity columns refuse an explicit NULL).
    virtual bool binds_null_for_generated_key() const { return false; }
    /// Appends "INSERT INTO "; when duplicates are to be skipped (on_conflict_do_nothing), MySQL
    /// appends "INSERT IGNORE INTO " instead of rendering a conflict clause.
    virtual void insert_into(std::string& out, bool skip_duplicates) const;
    /// Appends the clause that handles a duplicate key in an INSERT: ` ON CONFLICT (target) DO
    /// NOTHING` when `update` is empty, else ` ON CONFLICT (target) DO UPDATE SET u = excluded.u,
    /// ...` (an empty target renders no parentheses). MySQL: nothing, or ` ON DUPLICATE KEY UPDATE
    /// u = VALUES(u), ...`.
    virtual void on_conflict(std::string& out, std::span<const std::string_view> target,
                             std::span<const std::string_view> update) const;

protected:
    virtual char quote_character() const { return '"'; }
    /// What stands for "no limit" where OFFSET needs a LIMIT before it; empty where it does not.
    virtual std::string_view no_limit_sql() const { return {}; }
    virtual bool is_reserved(std::string_view word) const;
    /// Appends `(?, ?), (?, ?), ...`: `rows` rows of `width` parameters.
    static void row_values(render_context& ctx, std::size_t rows, std::size_t width);
};

}  // namespace reflorm::sql
