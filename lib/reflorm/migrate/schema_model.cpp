#include <reflorm/migrate/schema_model.hpp>

#include <algorithm>

namespace reflorm::migrate {

const column_model* table_model::column(std::string_view name) const {
    const auto it = std::find_if(columns.begin(), columns.end(), [&](const column_model& c) { return c.name == name; });
    return it == columns.end() ? nullptr : &*it;
}

const table_model* schema_model::table(std::string_view name) const {
    const auto it = std::find_if(tables.begin(), tables.end(), [&](const table_model& t) { return t.name == name; });
    return it == tables.end() ? nullptr : &*it;
}

std::string_view action_name(referential_action action) {
    switch (action) {
    case referential_action::no_action: return "NO ACTION";
    case referential_action::restrict: return "RESTRICT";
    case referential_action::cascade: return "CASCADE";
    case referential_action::set_null: return "SET NULL";
    case referential_action::set_default: return "SET DEFAULT";
    }
    return "NO ACTION";
}

referential_action action_from_name(std::string_view name) {
    for (auto action : {referential_action::restrict, referential_action::cascade, referential_action::set_null,
                        referential_action::set_default})
        if (name == action_name(action)) return action;
    return referential_action::no_action;
}

}  // namespace reflorm::migrate
