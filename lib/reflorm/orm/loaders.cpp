// The loaders' code that depends on no model or option, compiled once: joinedload's rendering
// over its join_specs (orm/loading/joined.hpp) and the frame of a lazy load (lazy.hpp).
#include <reflorm/orm/session.hpp>  // includes the loaders, joined.hpp among them

#include <reflorm/orm/detail/executor.hpp>

#include <string>

namespace reflorm::orm_detail {

std::size_t add_join(std::vector<join_spec>& specs, join_spec spec) {
    const std::string n = std::to_string(specs.size() + 1);
    spec.alias = std::string(spec.target->name) + "_" + n;
    if (spec.secondary) spec.secondary_alias = std::string(spec.secondary->name) + "_" + n;
    specs.push_back(std::move(spec));
    return specs.size() - 1;
}

void joined_extra::columns(sql::render_context& ctx) const {
    for (const auto& s : specs)
        for (const auto& column : s.target->columns) {
            ctx << ", ";
            ctx.qualified(s.alias, column.name);
        }
}

std::string_view joined_extra::parent_alias(const join_spec& s) const {
    return s.parent == reflect::npos ? root.name : std::string_view(specs[s.parent].alias);
}

void joined_extra::joins(sql::render_context& ctx) const {
    for (const auto& s : specs) {
        const std::string_view join = s.inner ? " JOIN " : " LEFT OUTER JOIN ";
        const std::string_view parent = parent_alias(s);
        if (s.kind == relationship_kind::many_to_many) {
            ctx << join;
            ctx.identifier(s.secondary->name);
            ctx << " AS ";
            ctx.identifier(s.secondary_alias);
            ctx << " ON ";
            sql::render_column_pairs(ctx, s.secondary_alias, *s.secondary, s.fk->columns, parent, *s.owner, s.fk->target_columns);
            ctx << join;
            ctx.identifier(s.target->name);
            ctx << " AS ";
            ctx.identifier(s.alias);
            ctx << " ON ";
            sql::render_column_pairs(ctx, s.alias, *s.target, s.to_target->target_columns, s.secondary_alias, *s.secondary,
                                     s.to_target->columns);
            continue;
        }
        ctx << join;
        ctx.identifier(s.target->name);
        ctx << " AS ";
        ctx.identifier(s.alias);
        ctx << " ON ";
        if (s.kind == relationship_kind::many_to_one)
            sql::render_column_pairs(ctx, s.alias, *s.target, s.fk->target_columns, parent, *s.owner, s.fk->columns);
        else
            sql::render_column_pairs(ctx, s.alias, *s.target, s.fk->columns, parent, *s.owner, s.fk->target_columns);
    }
}

void joined_extra::order(sql::render_context& ctx, bool first) const {
    for (const auto& s : specs) {
        if (!s.collection || !s.render_order) continue;
        ctx << (first ? " ORDER BY " : ", ");
        first = false;
        ctx.renamed_table = s.target->name;
        ctx.renamed_to = s.alias;
        s.render_order(ctx);
        ctx.renamed_table = {};
        ctx.renamed_to = {};
    }
}

void throw_load_of_untracked(std::string_view model, std::string_view member) {
    throw invalid_request_error("reflorm: cannot load " + std::string(model) + "::" + std::string(member) +
                                " of an object the session does not hold");
}

void run_lazy_load(session& s, const void* object, std::unique_ptr<load_step> step) {
    if (!session_access::flushing(s)) session_access::autoflush(s);
    session_access::touch(s, object);
    load_steps steps;
    steps.push_back(std::move(step));
    executor{s}.load(std::move(steps));
}

}  // namespace reflorm::orm_detail
