#pragma once
// Joining along a relationship, `select<Item>().join<&Item::keywords>()`, as SQLAlchemy's
// `select(Item).join(Item.keywords)`. The ON clause comes from the relationship's foreign keys,
// which only the orm layer knows: it specialises relationship_join<Member> (see
// orm/relationship_join.hpp), and this header renders the join from that description and checks
// it against the select's FROM list.
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/render_context.hpp>
#include <reflorm/sql/source.hpp>
#include <reflorm/sql/table_sql.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace reflorm::sql {

/// How relationship member Member joins its model (`owner`) to its `target`: the customisation
/// point the orm layer specialises for reflorm::one<T> and reflorm::many<T> members. A
/// specialisation has is_relationship = true, the types owner, target and secondary (the
/// association model of a many-to-many, else void), and schema::column_list members: directly,
/// ON target.target_columns = owner.owner_columns; through a secondary, ON
/// secondary.secondary_owner_columns = owner.owner_columns, then ON target.target_columns =
/// secondary.secondary_target_columns. The primary template describes no relationship.
template <auto Member>
struct relationship_join {
    static constexpr bool is_relationship = false;
    using owner = void;
    using target = void;
    using secondary = void;
};

// ---- checks whose template arguments name the member -------------------------------------

template <auto Member, bool IsRelationship>
struct check_join_member_is_relationship {
    static constexpr bool value = IsRelationship;
    static_assert(value, "reflorm: join<&Model::member>() and outer_join<&Model::member>() take a relationship member "
                         "(reflorm::one<T> or reflorm::many<T>) and need <reflorm/orm.hpp>; to join on another "
                         "condition, write join<Target>(on)");
};

template <auto Member, class Source, bool Ok>
struct check_join_alias_model {
    static constexpr bool value = Ok;
    static_assert(value, "reflorm: in join<&Model::member, As, From>(), As must be an alias of the relationship's target "
                         "model and From an alias of Model");
};

template <auto Member, class Parent, bool InFrom>
struct check_join_parent_in_from {
    static constexpr bool value = InFrom;
    static_assert(value, "reflorm: join<&Model::member>() joins from Model, which is not in this select's FROM list; "
                         "select Model, name it with select_from<Model>(), or join to it first");
};

template <auto Member, class Target, bool Unique>
struct check_join_target_unique {
    static constexpr bool value = Unique;
    static_assert(value, "reflorm: join<&Model::member>() would name a table twice (the relationship refers to its own "
                         "model, or its target is joined already); join the target as an alias: "
                         "join<&Model::member, reflorm::alias<Target, \"name\">>()");
};

/// Check's value, or true without looking at it when Guard is false (spares follow-on messages).
template <bool Guard, class Check>
consteval bool passes() {
    if constexpr (Guard) return Check::value;
    else return true;
}

/// The JOIN (two, through a many-to-many's secondary) along relationship Member, from Parent
/// (an alias of its model, or void for the model's table) into As (an alias of its target, or
/// void for the target's table). FromList and Joined are the select's FROM entries and joined
/// sources so far, for the checks.
template <auto Member, class As, class Parent, bool Outer, class FromList, class Joined>
struct relationship_join_clause {
    using info = relationship_join<Member>;
    static_assert(check_join_member_is_relationship<Member, info::is_relationship>::value);
    using owner = typename info::owner;
    using parent = std::conditional_t<std::is_void_v<Parent>, model_table<owner>, source_of<Parent>>;
    using target = std::conditional_t<std::is_void_v<As>, model_table<typename info::target>, source_of<As>>;
    static constexpr bool has_secondary = !std::is_void_v<typename info::secondary>;
    /// The association table, or the target when there is none (so that it is always a source).
    using secondary = std::conditional_t<has_secondary, model_table<typename info::secondary>, target>;
    /// Joined into an alias, the secondary is aliased too, as `<alias>_<secondary table>`, so that
    /// the same relationship can be joined twice; else it keeps its name and WHERE may read it.
    static constexpr bool secondary_aliased = !target::alias_name.empty();
    /// What the select's FROM list leaves out, and what a later join may start from.
    using joined_sources = std::conditional_t<!info::is_relationship, source_list<>,
                                              std::conditional_t<has_secondary && !secondary_aliased,
                                                                 source_list<secondary, target>, source_list<target>>>;
    using on_sources = source_list<parent>;

    static constexpr bool models_match = std::is_same_v<typename parent::model_type, owner> &&
                                         std::is_same_v<typename target::model_type, typename info::target>;
    static_assert(passes<info::is_relationship, check_join_alias_model<Member, As, models_match>>());
    static_assert(passes<info::is_relationship && models_match,
                         check_join_parent_in_from<Member, parent, contains_source_v<FromList, parent> ||
                                                                       contains_source_v<Joined, parent>>>());
    static_assert(passes<info::is_relationship && models_match,
                         check_join_target_unique<Member, typename info::target,
                                                  !std::is_same_v<target, parent> && !contains_source_v<Joined, target> &&
                                                      (!has_secondary || secondary_aliased ||
                                                       !contains_source_v<Joined, secondary>)>>());

    void render(render_context& ctx) const {
        const std::string_view join = Outer ? " LEFT OUTER JOIN " : " JOIN ";
        if constexpr (has_secondary) {
            constexpr const auto& secondary_table = schema::table_of<typename secondary::model_type>;
            std::string name(secondary_table.name);
            if constexpr (secondary_aliased) name = std::string(target::alias_name) + "_" + name;
            render_one(ctx, join, secondary_table, name, info::secondary_owner_columns, source_name<parent>(),
                       schema::table_of<owner>, info::owner_columns);
            render_one(ctx, join, schema::table_of<typename target::model_type>, source_name<target>(), info::target_columns,
                       name, secondary_table, info::secondary_target_columns);
        } else {
            render_one(ctx, join, schema::table_of<typename target::model_type>, source_name<target>(), info::target_columns,
                       source_name<parent>(), schema::table_of<owner>, info::owner_columns);
        }
    }
    template <class F>
    void for_each_parameter(F&) const {}

private:
    /// `JOIN table [AS name] ON name.columns = from.from_columns` (pair by pair, with AND).
    static void render_one(render_context& ctx, std::string_view join, const schema::table_info& table, std::string_view name,
                           const schema::column_list& columns, std::string_view from, const schema::table_info& from_table,
                           const schema::column_list& from_columns) {
        ctx << join;
        ctx.identifier(table.name);
        if (name != table.name) {
            ctx << " AS ";
            ctx.identifier(name);
        }
        ctx << " ON ";
        render_column_pairs(ctx, name, table, columns, from, from_table, from_columns);
    }
};

/// The sources a join clause adds to a select: its joined_sources, or its target.
template <class Join>
struct joined_by {
    using sources = source_list<typename Join::target>;
};
template <class Join>
    requires requires { typename Join::joined_sources; }
struct joined_by<Join> {
    using sources = typename Join::joined_sources;
};

}  // namespace reflorm::sql
