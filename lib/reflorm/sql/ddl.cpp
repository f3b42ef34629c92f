#include <reflorm/sql/bounded_identifier.hpp>
#include <reflorm/sql/ddl.hpp>

#include <algorithm>

namespace reflorm::sql {

namespace {

void column_names(std::string& out, const compiler& dialect, const schema::table_info& table,
                  const schema::column_list& columns) {
    bool first = true;
    for (auto c : columns.view()) {
        if (!first) out += ", ";
        first = false;
        dialect.identifier(out, table.columns[c].name);
    }
}

std::string_view action_sql(referential_action action) {
    switch (action) {
    case referential_action::no_action: return {};
    case referential_action::restrict: return "RESTRICT";
    case referential_action::cascade: return "CASCADE";
    case referential_action::set_null: return "SET NULL";
    case referential_action::set_default: return "SET DEFAULT";
    }
    return {};
}

// "<prefix>_<table>_<column>_<column>...": SQLAlchemy's recommended naming convention.
std::string conventional_name(std::string_view prefix, const schema::table_info& table, const schema::column_list& columns) {
    std::string name(prefix);
    (name += '_') += table.name;
    for (auto c : columns.view()) (name += '_') += table.columns[c].name;
    return bounded_identifier(std::move(name));
}

void constraint_name(std::string& out, const compiler& dialect, const std::string& name) {
    out += "CONSTRAINT ";
    dialect.identifier(out, name);
    out += ' ';
}

void foreign_key_clause(std::string& out, const compiler& dialect, const schema::table_info& table,
                        const schema::foreign_key_info& fk) {
    const auto& target = fk.target();
    out += "FOREIGN KEY(";
    column_names(out, dialect, table, fk.columns);
    out += ") REFERENCES ";
    dialect.identifier(out, target.name);
    out += " (";
    column_names(out, dialect, target, fk.target_columns);
    out += ')';
    if (auto a = action_sql(fk.on_delete); !a.empty()) (out += " ON DELETE ") += a;
    if (auto a = action_sql(fk.on_update); !a.empty()) (out += " ON UPDATE ") += a;
    if (fk.deferrable && dialect.supports_deferrable()) out += " DEFERRABLE INITIALLY DEFERRED";
}

}  // namespace

std::string column_type_sql(const compiler& dialect, const schema::table_info& table, const schema::column_info& column) {
    bool in_key = column.primary_key || column.unique;
    for (const auto& index : table.indexes)
        for (auto c : index.columns.view()) in_key = in_key || table.columns[c].name == column.name;
    for (const auto& fk : table.foreign_keys)
        for (auto c : fk.columns.view()) in_key = in_key || table.columns[c].name == column.name;
    return dialect.type_name(column, in_key);
}

std::string create_table_sql(const compiler& dialect, const schema::table_info& table, bool if_not_exists,
                             std::uint64_t deferred_keys) {
    std::string out = "CREATE TABLE ";
    if (if_not_exists) out += "IF NOT EXISTS ";
    dialect.identifier(out, table.name);
    out += " (";
    bool first = true;
    for (const auto& column : table.columns) {
        out += first ? "\n\t" : ",\n\t";
        first = false;
        dialect.identifier(out, column.name);
        out += ' ';
        out += column_type_sql(dialect, table, column);
        if (!column.nullable) out += " NOT NULL";
        if (column.autoincrement && !dialect.autoincrement_clause().empty()) {
            out += ' ';
            out += dialect.autoincrement_clause();
        }
        if (!column.server_default.empty()) {
            out += " DEFAULT ";
            out += column.server_default;
        }
    }
    if (table.primary_key.size > 0) {
        out += ",\n\t";
        constraint_name(out, dialect, primary_key_name(table));
        out += "PRIMARY KEY (";
        column_names(out, dialect, table, table.primary_key);
        out += ')';
    }
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (!table.columns[c].unique) continue;
        schema::column_list single;
        single.push_back(c);
        out += ",\n\t";
        constraint_name(out, dialect, conventional_name("uq", table, single));
        out += "UNIQUE (";
        dialect.identifier(out, table.columns[c].name);
        out += ')';
    }
    for (const auto& index : table.indexes) {
        if (!index.unique) continue;
        out += ",\n\t";
        constraint_name(out, dialect, conventional_name("uq", table, index.columns));
        out += "UNIQUE (";
        column_names(out, dialect, table, index.columns);
        out += ')';
    }
    for (std::size_t k = 0; k < table.foreign_keys.size(); ++k) {
        if (k < 64 && (deferred_keys >> k & 1)) continue;
        out += ",\n\t";
        constraint_name(out, dialect, foreign_key_name(table, k));
        foreign_key_clause(out, dialect, table, table.foreign_keys[k]);
    }
    out += "\n)";
    return out;
}

std::string foreign_key_name(const schema::table_info& table, std::size_t key) {
    return conventional_name("fk", table, table.foreign_keys[key].columns);
}

std::string primary_key_name(const schema::table_info& table) { return bounded_identifier(std::string(table.name) + "_pkey"); }

std::string bounded_identifier(std::string name) {
    constexpr std::size_t longest = 63;
    if (name.size() <= longest) return name;
    std::uint32_t hash = 2166136261u;  // FNV-1a, 32 bits
    for (unsigned char ch : name) hash = (hash ^ ch) * 16777619u;
    static constexpr char digits[] = "0123456789abcdef";
    name.resize(longest - 9);
    name += '_';
    for (int shift = 28; shift >= 0; shift -= 4) name += digits[(hash >> shift) & 0xf];
    return name;
}

std::string add_foreign_key_sql(const compiler& dialect, const schema::table_info& table, std::size_t key) {
    std::string out = "ALTER TABLE ";
    dialect.identifier(out, table.name);
    out += " ADD CONSTRAINT ";
    dialect.identifier(out, foreign_key_name(table, key));
    out += ' ';
    foreign_key_clause(out, dialect, table, table.foreign_keys[key]);
    return out;
}

std::string drop_foreign_key_sql(const compiler& dialect, const schema::table_info& table, std::size_t key) {
    const bool if_exists = dialect.drop_foreign_key_if_exists();
    std::string out = if_exists ? "ALTER TABLE IF EXISTS " : "ALTER TABLE ";
    dialect.identifier(out, table.name);
    out += " DROP ";
    out += dialect.drop_foreign_key_keyword();
    out += if_exists ? " IF EXISTS " : " ";
    dialect.identifier(out, foreign_key_name(table, key));
    return out;
}

std::vector<std::uint64_t> forward_foreign_keys(std::span<const schema::table_info* const> order) {
    std::vector<std::uint64_t> out(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& keys = order[i]->foreign_keys;
        for (std::size_t k = 0; k < keys.size() && k < 64; ++k) {
            const auto* target = &keys[k].target();
            if (std::find(order.begin() + static_cast<std::ptrdiff_t>(i) + 1, order.end(), target) != order.end())
                out[i] |= std::uint64_t{1} << k;
        }
    }
    return out;
}

std::vector<std::string> create_index_sql(const compiler& dialect, const schema::table_info& table,
                                          bool if_not_exists) {
    std::vector<std::string> statements;
    for (const auto& index : table.indexes) {
        if (index.unique) continue;
        const auto name = conventional_name("ix", table, index.columns);
        std::string out = "CREATE INDEX ";
        if (if_not_exists && dialect.create_index_if_not_exists()) out += "IF NOT EXISTS ";
        dialect.identifier(out, name);
        out += " ON ";
        dialect.identifier(out, table.name);
        out += " (";
        column_names(out, dialect, table, index.columns);
        out += ')';
        statements.push_back(std::move(out));
    }
    return statements;
}

std::string drop_table_sql(const compiler& dialect, const schema::table_info& table, bool if_exists) {
    std::string out = "DROP TABLE ";
    if (if_exists) out += "IF EXISTS ";
    dialect.identifier(out, table.name);
    return out;
}

std::vector<std::size_t> dependency_order(std::span<const schema::table_info* const> tables, cycle_break at) {
    std::vector<std::size_t> pending(tables.size());
    for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
    std::vector<std::size_t> sorted;
    sorted.reserve(pending.size());
    const auto among_pending = [&](const schema::table_info* t) {
        return std::any_of(pending.begin(), pending.end(), [&](std::size_t i) { return tables[i] == t; });
    };
    // Whether `from` references `to`, directly or through other unplaced tables.
    const auto depends_on = [&](const schema::table_info* from, const schema::table_info* to) {
        std::vector<const schema::table_info*> stack{from};
        std::vector<const schema::table_info*> seen;
        while (!stack.empty()) {
            const auto* t = stack.back();
            stack.pop_back();
            if (t == to) return true;
            if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
            seen.push_back(t);
            for (const auto& fk : t->foreign_keys)
                if (const auto* target = &fk.target(); target != t && among_pending(target)) stack.push_back(target);
        }
        return false;
    };
    // Whether every unplaced reference of table i other than to itself passes `may_wait`.
    const auto placeable = [&](std::size_t i, const auto& may_wait) {
        const auto* table = tables[i];
        return std::all_of(table->foreign_keys.begin(), table->foreign_keys.end(), [&](const auto& fk) {
            const auto* target = &fk.target();
            return target == table || !among_pending(target) || may_wait(*table, fk);
        });
    };
    const auto never = [](const schema::table_info&, const schema::foreign_key_info&) { return false; };
    const auto breaks_cycle = [&](const schema::table_info& table, const schema::foreign_key_info& fk) {
        if (at == cycle_break::cycle_member) return depends_on(&fk.target(), &table);
        const auto columns = fk.columns.view();
        return std::all_of(columns.begin(), columns.end(), [&](auto c) { return table.columns[c].nullable; });
    };
    while (!pending.empty()) {
        auto next = std::find_if(pending.begin(), pending.end(), [&](std::size_t i) { return placeable(i, never); });
        if (next == pending.end())
            next = std::find_if(pending.begin(), pending.end(), [&](std::size_t i) { return placeable(i, breaks_cycle); });
        if (next == pending.end()) next = pending.begin();  // unbreakable (NOT NULL keys all round): the caller reports it
        sorted.push_back(*next);
        pending.erase(next);
    }
    return sorted;
}

std::vector<const schema::table_info*> sort_by_dependency(std::span<const schema::table_info* const> tables) {
    std::vector<const schema::table_info*> sorted;
    for (auto i : dependency_order(tables, cycle_break::cycle_member)) sorted.push_back(tables[i]);
    return sorted;
}

}  // namespace reflorm::sql
