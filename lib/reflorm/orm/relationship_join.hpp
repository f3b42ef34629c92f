#pragma once
// The orm side of `select<Item>().join<&Item::keywords>()`: relationship_join<Member>, which the
// sql layer renders (sql/relationship_join.hpp), described from the relationship's foreign keys.
#include <reflorm/orm/relationship_info.hpp>
#include <reflorm/sql/relationship_join.hpp>

namespace reflorm::orm_detail {

/// The column lists of relationship Info's join, as sql::relationship_join describes them.
template <class Info>
struct join_columns {
    static constexpr bool many_to_many = Info::kind == relationship_kind::many_to_many;
    // Empty when the key did not resolve: a check has stopped compilation with its message.
    static constexpr schema::foreign_key_info key = Info::resolved ? Info::fk() : schema::foreign_key_info{};
    static constexpr schema::foreign_key_info to_target = [] {
        if constexpr (many_to_many)
            if (Info::target_key < schema::table_of<typename Info::secondary>.foreign_keys.size())
                return schema::table_of<typename Info::secondary>.foreign_keys[Info::target_key];
        return schema::foreign_key_info{};
    }();

    static constexpr schema::column_list owner_columns =
        Info::kind == relationship_kind::many_to_one ? key.columns : key.target_columns;
    static constexpr schema::column_list target_columns = Info::kind == relationship_kind::many_to_one ? key.target_columns
                                                          : many_to_many                               ? to_target.target_columns
                                                                                                       : key.columns;
    static constexpr schema::column_list secondary_owner_columns = many_to_many ? key.columns : schema::column_list{};
    static constexpr schema::column_list secondary_target_columns = to_target.columns;
};

}  // namespace reflorm::orm_detail

namespace reflorm::sql {

template <auto Member>
    requires orm_detail::relationship_member<reflect::member_value_t<Member>>
struct relationship_join<Member> : orm_detail::join_columns<orm_detail::relationship_info<Member>> {
    using info = orm_detail::relationship_info<Member>;
    static constexpr bool is_relationship = true;
    using owner = typename info::owner;
    using target = typename info::target;
    using secondary = typename info::secondary;  // void unless a many-to-many
};

}  // namespace reflorm::sql
