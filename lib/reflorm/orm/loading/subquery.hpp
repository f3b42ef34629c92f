#pragma once
// subqueryload: one SELECT that re-runs the parent query as a subquery (its WHERE, ORDER BY and
// LIMIT/OFFSET, with its bound values) and joins the targets to it, as SQLAlchemy's
// subqueryload. Nested levels nest the subqueries.
#include <reflorm/orm/loading/common.hpp>

namespace reflorm::orm_detail {

/// `SELECT [DISTINCT] <target columns>[, <owner key columns>] FROM (<parent>) AS anon_1 JOIN ...`
template <class Info, class Parent>
struct subquery_load_statement {
    using target = typename Info::target;
    using owner = typename Info::owner;
    const Parent* parent = nullptr;
    typename Info::config_type::order_by_type order{};

    void render(sql::render_context& ctx) const {
        constexpr const auto& t = schema::table_of<target>;
        constexpr const auto& o = schema::table_of<owner>;
        constexpr bool many_to_one = Info::kind == relationship_kind::many_to_one;
        ctx << (many_to_one ? "SELECT DISTINCT " : "SELECT ");
        sql::render_column_list(ctx, t);
        if constexpr (Info::kind == relationship_kind::many_to_many) {
            constexpr const auto& sec = schema::table_of<typename Info::secondary>;
            std::size_t i = 0;
            for (auto col : sec.foreign_keys[Info::foreign_key].columns.view()) {
                ctx << ", ";
                ctx.qualified(sec.name, sec.columns[col].name);
                ctx << " AS reflorm_owner_" << std::to_string(i++);
            }
        }
        ctx << " FROM (";
        parent->render(ctx);
        ctx << ") AS anon_1 JOIN ";
        // anon_1 carries the owner's columns under their own names.
        if constexpr (Info::kind == relationship_kind::many_to_many) {
            constexpr const auto& sec = schema::table_of<typename Info::secondary>;
            constexpr const auto& to_owner = sec.foreign_keys[Info::foreign_key];
            constexpr const auto& to_target = sec.foreign_keys[Info::target_key];
            ctx.identifier(sec.name);
            ctx << " ON ";
            sql::render_column_pairs(ctx, sec.name, sec, to_owner.columns, "anon_1", o, to_owner.target_columns);
            ctx << " JOIN ";
            ctx.identifier(t.name);
            ctx << " ON ";
            sql::render_column_pairs(ctx, t.name, t, to_target.target_columns, sec.name, sec, to_target.columns);
        } else if constexpr (many_to_one) {
            constexpr const auto& fk = o.foreign_keys[Info::foreign_key];
            ctx.identifier(t.name);
            ctx << " ON ";
            sql::render_column_pairs(ctx, t.name, t, fk.target_columns, "anon_1", o, fk.columns);
        } else {
            constexpr const auto& fk = t.foreign_keys[Info::foreign_key];
            ctx.identifier(t.name);
            ctx << " ON ";
            sql::render_column_pairs(ctx, t.name, t, fk.columns, "anon_1", o, fk.target_columns);
        }
        if constexpr (requires(const decltype(order)& ob, sql::render_context& c) { ob.render(c); }) {
            ctx << " ORDER BY ";
            order.render(ctx);
        }
    }
    template <class F>
    void for_each_parameter(F& f) const {
        parent->for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires sql::runtime_shaped<Parent>
    {
        parent->shape(key);
    }
};

/// subqueryload of Info over `owners`, whose parents `parent` (a statement that outlives the
/// step: the user's, or the step's above) read: one SELECT, then the relationships set from it.
template <class Info, class T, class Option, class Parent>
class subquery_step final : public load_step {
    using target = typename Info::target;
    using key_type = identity_key_t<T>;
    static constexpr bool many_to_one = Info::kind == relationship_kind::many_to_one;
    // By key type, not target: a set type the program compiles once for all targets.
    using owner_and_target = std::pair<key_type, const void*>;

public:
    subquery_step(std::vector<T*> owners, const Option& option, const Parent& parent)
        : all_owners_(std::move(owners)), option_(option), statement_{&parent, Info::config.order} {}

    void plan(session& s, query_list& queries) override {
        static_assert(check_loadable<Info>::value);
        owners_ = unloaded<Info>(all_owners_);
        if (owners_.empty()) return;
        session_access::touch_all(s, owners_);
        if constexpr (!many_to_one) expect_owners(found_, owners_);
        queries.push_back(std::unique_ptr<query_rows>(new statement_query<statement, reader>(&statement_, reader{this, &s})));
    }

    void finish(session& s, load_steps& next) override {
        if (!owners_.empty()) {
            if constexpr (many_to_one)
                assign_by_foreign_key<Info>(s, owners_);
            else
                assign_grouped<Info>(owners_, found_);
        }
        append_next_level<Info>(next, all_owners_, option_, statement_);
        if constexpr (!many_to_one) {
            found_.clear();
            pairs_ = {};
        }
        owners_ = {};
        all_owners_ = {};
    }

private:
    using statement = subquery_load_statement<Info, Parent>;
    struct reader {
        subquery_step* step;
        session* s;
        void operator()(driver::cursor& cursor) const {
            target* t = session_access::registry_of<target>(*s).materialize(rows::read_model<target>(cursor), *s);
            if constexpr (Info::kind == relationship_kind::many_to_many)
                step->add_once(read_key<key_type>(cursor, static_cast<int>(schema::table_of<target>.columns.size())), t);
            else if constexpr (Info::kind != relationship_kind::many_to_one)
                if (auto key = referenced_key<target, Info::foreign_key, T>(*t)) step->add_once(std::move(*key), t);
        }
    };
    // A parent query that repeats a parent (a join) repeats its children: each (owner, target) once.
    void add_once(key_type&& key, target* t) {
        if (pairs_.emplace(key, t).second) found_.add(key, t);
    }

    std::vector<T*> all_owners_;
    Option option_;
    statement statement_;
    std::vector<T*> owners_;  // those not loaded yet
    // Many-to-one looks its targets up in the identity map: no groups.
    std::conditional_t<many_to_one, std::tuple<>, grouped_targets<key_type>> found_;
    std::conditional_t<many_to_one, std::tuple<>, boost::unordered_flat_set<owner_and_target, boost::hash<owner_and_target>>> pairs_;
};

}  // namespace reflorm::orm_detail
