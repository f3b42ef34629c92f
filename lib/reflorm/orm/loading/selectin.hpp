#pragma once
// selectinload: after the parents are loaded, one SELECT ... WHERE key IN (...) per batch of
// parent keys (500 by default), as SQLAlchemy's selectinload. Many-to-one looks the targets up
// by primary key, de-duplicated and sorted, skipping those the identity map already holds and
// NULL keys; one-to-many and one-to-one by the children's foreign key; many-to-many through the
// secondary table. No keys, no SELECT.
#include <reflorm/orm/loading/common.hpp>

namespace reflorm::orm_detail {

/// A relationship's default loader (relationship<...>.lazy(loader_strategy::selectin)), as an
/// option: batches of 500, nothing given below it.
struct default_selectin_option {
    static constexpr std::size_t batch_size = 500;
    std::tuple<> children;
};

/// The steps of the level below a loader: its option's children, then the relationships' default
/// loaders (defined in apply.hpp).
template <class Info, class T, class Option, class ParentQuery>
void append_next_level(load_steps& next, const std::vector<T*>& owners, const Option& option, const ParentQuery& parent);
template <class... Options, class T>
void append_default_steps(load_steps& steps, const std::vector<T*>& objects);

/// selectinload of Info over `owners` (Option: a selectinload option or default_selectin_option):
/// plans one SELECT per batch of keys, then sets the relationships from what they read.
template <class Info, class T, class Option>
class selectin_step final : public load_step {
    using target = typename Info::target;
    static constexpr std::size_t fk = Info::foreign_key;
    static constexpr bool many_to_one = Info::kind == relationship_kind::many_to_one;
    using key_type = std::conditional_t<many_to_one, identity_key_t<target>, identity_key_t<T>>;

public:
    selectin_step(std::vector<T*> owners, const Option& option) : all_owners_(std::move(owners)), option_(option) {}

    void plan(session& s, query_list& queries) override {
        static_assert(check_loadable<Info>::value);
        const std::size_t batch_size = option_.batch_size;
        if (batch_size == 0) throw invalid_request_error("reflorm: selectinload's batch size must be at least 1");
        owners_ = unloaded<Info>(all_owners_);
        session_access::touch_all(s, owners_);
        auto& targets = session_access::registry_of<target>(s);
        if constexpr (many_to_one) {
            for (T* owner : owners_) {
                auto key = referenced_key<T, fk, target>(*owner);
                if (!key) continue;
                auto* e = targets.find_key(*key);
                if (e && !e->expired && !registry<target>::to_populate(s, *e)) continue;
                keys_.push_back(std::move(*key));
            }
            std::sort(keys_.begin(), keys_.end());
            keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
        } else {
            keys_.reserve(owners_.size());
            for (T* owner : owners_) keys_.push_back(key_of(*owner));
            found_.reset(owners_.size());
            for (std::size_t i = 0; i < keys_.size(); ++i) found_.expect(keys_[i], i);
        }
        for (std::size_t at = 0; at < keys_.size(); at += batch_size) {
            const std::size_t n = std::min(batch_size, keys_.size() - at);
            const auto bind = [this, at, n](driver::cursor& cursor) {
                int index = 0;
                for (std::size_t k = at; k < at + n; ++k) bind_key(cursor, index, keys_[k]);
            };
            // The keys the batch sends, for an error and the execute event.
            const auto describe = [this, at, n] { return describe_keys<std::conditional_t<many_to_one, target, T>>(keys_, at, n); };
            session* const session_ptr = &s;
            if constexpr (many_to_one) {
                using statement = sql::select_in_statement<target, primary_key_columns<target>, no_order>;
                queries.push_back(make_keyed_query(statement{n, {}}, bind, describe, [&targets, session_ptr](driver::cursor& cursor) {
                    targets.materialize(rows::read_model<target>(cursor), *session_ptr);
                }));
            } else if constexpr (Info::kind == relationship_kind::many_to_many) {
                using statement = sql::select_through_in_statement<target, typename Info::secondary, Info::target_key, fk,
                                                                   typename Info::config_type::order_by_type>;
                queries.push_back(make_keyed_query(statement{n, Info::config.order}, bind, describe,
                                                   [this, &targets, session_ptr](driver::cursor& cursor) {
                                                       target* t = targets.materialize(rows::read_model<target>(cursor), *session_ptr);
                                                       constexpr int key_at = static_cast<int>(schema::table_of<target>.columns.size());
                                                       found_.add(read_key<key_type>(cursor, key_at), t);
                                                   }));
            } else {
                using statement = sql::select_in_statement<target, foreign_key_columns<target, fk>, typename Info::config_type::order_by_type>;
                queries.push_back(make_keyed_query(statement{n, Info::config.order}, bind, describe,
                                                   [this, &targets, session_ptr](driver::cursor& cursor) {
                                                       target* t = targets.materialize(rows::read_model<target>(cursor), *session_ptr);
                                                       if (auto key = referenced_key<target, fk, T>(*t)) found_.add(*key, t);
                                                   }));
            }
        }
    }

    void finish(session& s, load_steps& next) override {
        if constexpr (many_to_one)
            assign_by_foreign_key<Info>(s, owners_);
        else
            assign_grouped<Info>(owners_, found_);
        if constexpr (std::is_same_v<Option, default_selectin_option>) {
            // A default loader goes on with the defaults of what it loaded.
            if constexpr (has_default_loaders<target>) append_default_steps(next, targets_of<Info>(owners_));
        } else {
            append_next_level<Info>(next, all_owners_, option_, no_parent_query{});
        }
        keys_ = {};
        if constexpr (!many_to_one) found_.clear();
        owners_ = {};
        all_owners_ = {};
    }

private:
    std::vector<T*> all_owners_;
    Option option_;
    std::vector<T*> owners_;  // those not loaded yet
    std::vector<key_type> keys_;
    // Many-to-one looks its targets up in the identity map: no groups.
    std::conditional_t<many_to_one, std::tuple<>, grouped_targets<identity_key_t<T>>> found_;
};

}  // namespace reflorm::orm_detail
