#include <reflorm/engine/insert_plan.hpp>

namespace reflorm::rows {

insert_layout layout_of(const schema::table_info& table, const insert_shape& shape, const sql::compiler& dialect) {
    const std::size_t key = table.autoincrement_column;
    insert_layout layout;
    const std::size_t n = table.columns.size();
    const auto flag = [&](std::string& mask, std::size_t c) {
        if (mask.empty()) mask.assign(n, '0');
        mask[c] = '1';
    };
    if (key != schema::no_column && shape.key_generated) {
        if (dialect.binds_null_for_generated_key()) {
            layout.key_null = true;
            layout.key_by_id = true;
        } else {
            flag(layout.omitted, key);
            if (dialect.returns_generated_keys()) flag(layout.returned, key);
            else layout.key_by_id = true;
        }
    }
    for (std::size_t c = 0; c < n && c < 64; ++c) {
        if (!(shape.defaults >> c & 1)) continue;
        flag(layout.omitted, c);
        flag(dialect.returns_generated_keys() ? layout.returned : layout.selected, c);
    }
    return layout;
}

}  // namespace reflorm::rows
