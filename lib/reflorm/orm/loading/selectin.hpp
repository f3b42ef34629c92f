#pragma once
// selectinload: after the parents are loaded, one SELECT ... WHERE key IN (...) per batch of
// parent keys (500 by default), as SQLAlchemy's selectinload. Many-to-one looks the targets up
// by primary key, de-duplicated and sorted, skipping those the identity map already holds and
// NULL keys; one-to-many and one-to-one by the children's foreign key; many-to-many through the
// secondary table. No keys, no SELECT.
#include <reflorm/orm/loading/common.hpp>

namespace reflorm::orm_detail {

template <class Info, class T>
void load_selectin(session& s, const std::vector<T*>& all_owners, std::size_t batch_size) {
    static_assert(check_loadable<Info>::value);
    using target = typename Info::target;
    using order_type = typename Info::config_type::order_by_type;
    constexpr std::size_t fk = Info::foreign_key;
    if (batch_size == 0) throw invalid_request_error("reflorm: selectinload's batch size must be at least 1");
    const std::vector<T*> owners = unloaded<Info>(all_owners);
    session_access::touch_all(s, owners);
    auto& targets = session_access::registry_of<target>(s);

    if constexpr (Info::kind == relationship_kind::many_to_one) {
        std::vector<identity_key_t<target>> keys;
        for (T* owner : owners) {
            auto key = referenced_key<T, fk, target>(*owner);
            if (!key) continue;
            auto* e = targets.find_key(*key);
            if (e && !e->expired && !registry<target>::to_populate(s, *e)) continue;
            keys.push_back(std::move(*key));
        }
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        using statement = sql::select_in_statement<target, primary_key_columns<target>, no_order>;
        for (std::size_t at = 0; at < keys.size(); at += batch_size) {
            const std::size_t n = std::min(batch_size, keys.size() - at);
            connection& c = session_access::connect(s);
            c.query(
                sql::statement_text(statement{n, {}}, c.dialect()),
                [&](driver::cursor& cursor) {
                    int index = 0;
                    for (std::size_t k = at; k < at + n; ++k) bind_key(cursor, index, keys[k]);
                },
                [&](driver::cursor& cursor) { targets.materialize(rows::read_model<target>(cursor), s); },
                [&] { return describe_keys<target>(keys, at, n); });
        }
        assign_by_foreign_key<Info>(s, owners);
    } else {
        using key_type = identity_key_t<T>;
        std::vector<key_type> keys;
        keys.reserve(owners.size());
        for (T* owner : owners) keys.push_back(key_of(*owner));
        grouped_targets<key_type, target> found;
        for (std::size_t at = 0; at < keys.size(); at += batch_size) {
            const std::size_t n = std::min(batch_size, keys.size() - at);
            connection& c = session_access::connect(s);
            const auto bind = [&](driver::cursor& cursor) {
                int index = 0;
                for (std::size_t k = at; k < at + n; ++k) bind_key(cursor, index, keys[k]);
            };
            const auto describe = [&] { return describe_keys<T>(keys, at, n); };  // the keys the batch sends
            if constexpr (Info::kind == relationship_kind::many_to_many) {
                using secondary = typename Info::secondary;
                using statement = sql::select_through_in_statement<target, secondary, Info::target_key, fk, order_type>;
                c.query(
                    sql::statement_text(statement{n, Info::config.order}, c.dialect()), bind,
                    [&](driver::cursor& cursor) {
                        target* t = targets.materialize(rows::read_model<target>(cursor), s);
                        found[read_key<key_type>(cursor, static_cast<int>(schema::table_of<target>.columns.size()))].push_back(t);
                    },
                    describe);
            } else {
                using statement = sql::select_in_statement<target, foreign_key_columns<target, fk>, order_type>;
                c.query(
                    sql::statement_text(statement{n, Info::config.order}, c.dialect()), bind,
                    [&](driver::cursor& cursor) {
                        target* t = targets.materialize(rows::read_model<target>(cursor), s);
                        if (auto key = referenced_key<target, fk, T>(*t)) found[*key].push_back(t);
                    },
                    describe);
            }
        }
        assign_grouped<Info>(owners, found);
    }
}

}  // namespace reflorm::orm_detail
