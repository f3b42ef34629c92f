#include <reflorm/migrate/operations.hpp>

#include <span>

namespace reflorm::migrate {

namespace {

// ['a', 'b'], as Alembic prints a column list.
std::string column_list(std::span<const std::string> columns) {
    std::string out = "[";
    for (std::size_t i = 0; i < columns.size(); ++i) (((out += i ? ", '" : "'") += columns[i]) += '\'');
    return out + ']';
}

// (a, b)
std::string parenthesised(std::span<const std::string> columns) {
    std::string out = "(";
    for (std::size_t i = 0; i < columns.size(); ++i) (out += i ? ", " : "") += columns[i];
    return out + ')';
}

std::string where(const std::string& table, const std::string& column) { return "'" + table + "." + column + "'"; }

std::string describe_alter(const alter_column& op) {
    std::string out;
    const auto add = [&](const std::string& line) { (out += out.empty() ? "" : "; ") += line; };
    const auto on = where(op.table, op.target.name);
    if (op.type_changed) add("Detected type change from " + op.existing.type.name + " to " + op.target.type.name + " on " + on);
    if (op.nullable_changed) add(std::string(op.target.nullable ? "Detected NULL" : "Detected NOT NULL") + " on column " + on);
    if (op.server_default_changed) {
        if (op.existing.server_default.empty())
            add("Detected server default " + op.target.server_default + " on column " + on);
        else if (op.target.server_default.empty())
            add("Detected removed server default on column " + on);
        else
            add("Detected server default change from " + op.existing.server_default + " to " + op.target.server_default + " on column " + on);
    }
    return out;
}

std::string describe_foreign_key(const char* what, const std::string& table, const foreign_key_model& key) {
    return std::string("Detected ") + what + " foreign key " + parenthesised(key.columns) + "(" + key.referred_table + ")" +
           parenthesised(key.referred_columns) + " on table " + table;
}

}  // namespace

std::string describe(const operation& op) {
    struct visitor {
        std::string operator()(const create_table& o) const { return "Detected added table '" + o.table.name + "'"; }
        std::string operator()(const drop_table& o) const { return "Detected removed table '" + o.table.name + "'"; }
        std::string operator()(const add_column& o) const { return "Detected added column " + where(o.table, o.column.name); }
        std::string operator()(const drop_column& o) const { return "Detected removed column " + where(o.table, o.column.name); }
        std::string operator()(const alter_column& o) const { return describe_alter(o); }
        std::string operator()(const create_index& o) const {
            return std::string("Detected added ") + (o.index.unique ? "unique index '" : "index '") + o.index.name + "' on " +
                   column_list(o.index.columns) + " of table " + o.table;
        }
        std::string operator()(const drop_index& o) const {
            return "Detected removed index '" + o.index.name + "' on table " + o.table;
        }
        std::string operator()(const create_unique_constraint& o) const {
            return "Detected added unique constraint '" + o.constraint.name + "' on " + column_list(o.constraint.columns) +
                   " of table " + o.table;
        }
        std::string operator()(const drop_unique_constraint& o) const {
            return "Detected removed unique constraint '" + o.constraint.name + "' on " + column_list(o.constraint.columns) +
                   " of table " + o.table;
        }
        std::string operator()(const create_foreign_key& o) const { return describe_foreign_key("added", o.table, o.key); }
        std::string operator()(const drop_foreign_key& o) const { return describe_foreign_key("removed", o.table, o.key); }
        // Written by hand, never detected (compare() warns instead): Alembic has no wording.
        std::string operator()(const rename_table& o) const { return "Renamed table '" + o.table + "' to '" + o.new_name + "'"; }
        std::string operator()(const rename_column& o) const {
            return "Renamed column " + where(o.table, o.column) + " to " + where(o.table, o.new_name);
        }
        std::string operator()(const create_primary_key& o) const {
            return "Added primary key '" + o.name + "' on " + column_list(o.columns) + " of table " + o.table;
        }
        std::string operator()(const drop_primary_key& o) const {
            return "Removed primary key '" + o.name + "' on " + column_list(o.columns) + " of table " + o.table;
        }
    };
    return std::visit(visitor{}, op);
}

operation reverse(const operation& op) {
    struct visitor {
        operation operator()(const create_table& o) const { return drop_table{o.table}; }
        operation operator()(const drop_table& o) const { return create_table{o.table}; }
        operation operator()(const add_column& o) const { return drop_column{o.table, o.column}; }
        operation operator()(const drop_column& o) const { return add_column{o.table, o.column}; }
        operation operator()(const alter_column& o) const {
            return alter_column{o.table, o.target, o.existing, o.type_changed, o.nullable_changed, o.server_default_changed};
        }
        operation operator()(const create_index& o) const { return drop_index{o.table, o.index}; }
        operation operator()(const drop_index& o) const { return create_index{o.table, o.index}; }
        operation operator()(const create_unique_constraint& o) const { return drop_unique_constraint{o.table, o.constraint}; }
        operation operator()(const drop_unique_constraint& o) const { return create_unique_constraint{o.table, o.constraint}; }
        operation operator()(const create_foreign_key& o) const { return drop_foreign_key{o.table, o.key}; }
        operation operator()(const drop_foreign_key& o) const { return create_foreign_key{o.table, o.key}; }
        operation operator()(const rename_table& o) const { return rename_table{o.new_name, o.table}; }
        operation operator()(const rename_column& o) const { return rename_column{o.table, o.new_name, o.column}; }
        operation operator()(const create_primary_key& o) const { return drop_primary_key{o.table, o.name, o.columns}; }
        operation operator()(const drop_primary_key& o) const { return create_primary_key{o.table, o.name, o.columns}; }
    };
    return std::visit(visitor{}, op);
}

}  // namespace reflorm::migrate
