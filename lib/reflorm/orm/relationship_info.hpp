#pragma once
// What a relationship member resolves to at compile time: its kind, the foreign key that
// links the two models, and its options. Ambiguity and mistakes stop compilation with a
// sentence naming the models and the member (on the instantiation line above the message).
#include <reflorm/orm/relationship.hpp>
#include <reflorm/orm/relationship_options.hpp>
#include <reflorm/schema/table.hpp>

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace reflorm::orm_detail {

enum class relationship_kind { many_to_one, one_to_many, one_to_one, many_to_many };

template <class R>
concept relationship_member = requires { typename R::reflorm_non_column_tag; typename R::target_type; R::is_collection; };

template <class T>
consteval auto relationship_configs() {
    if constexpr (requires { model<T>::relationships; })
        return model<T>::relationships;
    else
        return std::tuple<>{};
}

template <class Owner, auto Member>
consteval std::size_t field_of_member() {
    (void)schema::detail::check_member_of_model<Owner, Member>::value;
    return reflect::member_index_v<Member, Owner>;
}

/// Position of field Field's options in model<Owner>::relationships, or npos.
template <class Owner, std::size_t Field>
consteval std::size_t config_position() {
    using configs = decltype(relationship_configs<Owner>());
    std::size_t found = reflect::npos;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((field_of_member<Owner, std::tuple_element_t<I, configs>::member>() == Field ? (found = I, 0) : 0), ...);
    }(std::make_index_sequence<std::tuple_size_v<configs>>{});
    return found;
}

/// Options of a relationship with none declared.
struct default_config {
    static constexpr std::nullptr_t back = nullptr;
    using foreign_key_members = key<>;
    using secondary_model = void;
    using order_by_type = no_order;
    reflorm::cascade cascades = reflorm::cascade::save_update;
    no_order order{};
    loader_strategy loader = loader_strategy::raise;
    bool post_updates = false;
};

template <class Owner, std::size_t Field>
consteval auto config_of() {
    constexpr std::size_t at = config_position<Owner, Field>();
    if constexpr (at == reflect::npos)
        return default_config{};
    else
        return std::get<at>(relationship_configs<Owner>());
}

// ---- checks whose template arguments name the culprit -------------------------------------

template <class Model, auto MemberName, class MemberType>
struct check_is_relationship_member {
    static constexpr bool value = relationship_member<MemberType>;
    static_assert(value, "reflorm: a relationship option names a member that is not reflorm::one<T> or reflorm::many<T>; "
                         "declare the member with one of those types");
};

template <class Model, auto MemberName, class Target, std::size_t Candidates>
struct check_foreign_key_found {
    static constexpr bool value = Candidates >= 1;
    static_assert(value, "reflorm: no foreign key links the relationship's model and its target model; declare one with "
                         "reflorm::foreign_key<&Child::parent_id, &Parent::id> in reflorm::model<Child>::columns");
};

template <class Model, auto MemberName, class Target, std::size_t Candidates>
struct check_foreign_key_unambiguous {
    static constexpr bool value = Candidates <= 1;
    static_assert(value, "reflorm: more than one foreign key links the relationship's model and its target model; name "
                         "the one to use with .foreign_keys<&Child::member>() in reflorm::relationship<...>, or name "
                         "the foreign key member after the relationship (`<relationship>_id`)");
};

template <class Model, auto MemberName, class Target, bool Matches>
struct check_foreign_keys_option {
    static constexpr bool value = Matches;
    static_assert(value, "reflorm: .foreign_keys<...>() of this relationship names members that are not a declared "
                         "foreign key between the two models; name the members of one reflorm::foreign_key");
};

template <class Model, auto MemberName, class BackModel, bool Matches>
struct check_back_populates {
    static constexpr bool value = Matches;
    static_assert(value, "reflorm: back_populates<...>() must name a reflorm::one<Model> or reflorm::many<Model> member of "
                         "the relationship's target model that refers back to this model");
};

template <class Model, auto MemberName, class Secondary, bool Found>
struct check_secondary {
    static constexpr bool value = Found;
    static_assert(value, "reflorm: the secondary (association) model of a many-to-many needs exactly one foreign key to "
                         "each side; declare them with reflorm::foreign_key in its reflorm::model<...>::columns");
};

template <class Model, auto MemberName, bool Ok>
struct check_post_update {
    static constexpr bool value = Ok;
    static_assert(value, "reflorm: .post_update() applies to a many-to-one (reflorm::one<T> holding the foreign key) whose "
                         "foreign key is nullable (std::optional members): it writes the key in a separate UPDATE, so the "
                         "row must be insertable without it");
};

template <class Model, auto MemberName, bool Ok>
struct check_many_to_many_is_collection {
    static constexpr bool value = Ok;
    static_assert(value, "reflorm: .secondary<A>() applies to reflorm::many<T> members only");
};

// ---- foreign key search ------------------------------------------------------------------

/// Whether foreign key `fk` of From's table references To's table. (By type name: comparing
/// function addresses is not a constant expression under every compiler setting.)
template <class To>
constexpr bool references(const schema::foreign_key_info& fk) {
    return fk.target_model == reflect::qualified_type_name_v<To>;
}

template <class From, class To>
consteval std::size_t count_foreign_keys() {
    std::size_t n = 0;
    for (const auto& fk : schema::table_of<From>.foreign_keys)
        if (references<To>(fk)) ++n;
    return n;
}

template <class From, class To>
consteval std::size_t first_foreign_key() {
    const auto& keys = schema::table_of<From>.foreign_keys;
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (references<To>(keys[i])) return i;
    return reflect::npos;
}

/// The foreign key of From to To whose columns are exactly Members.
template <class From, class To, auto... Members>
consteval std::size_t foreign_key_with_members(key<Members...> k) {
    const auto wanted = schema::detail::columns_of<From>(k);
    const auto& keys = schema::table_of<From>.foreign_keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!references<To>(keys[i]) || keys[i].columns.size != wanted.size) continue;
        bool same = true;
        for (std::size_t c = 0; c < wanted.size; ++c) same = same && keys[i].columns.items[c] == wanted.items[c];
        if (same) return i;
    }
    return reflect::npos;
}

/// The single-column foreign key of From to To whose column is named `<relationship>_id`.
template <class From, class To>
consteval std::size_t foreign_key_named_after(std::string_view relationship_name) {
    const auto& table = schema::table_of<From>;
    const auto& keys = table.foreign_keys;
    std::size_t found = reflect::npos;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!references<To>(keys[i]) || keys[i].columns.size != 1) continue;
        const std::string_view column = table.columns[keys[i].columns.items[0]].name;
        if (column.size() == relationship_name.size() + 3 && column.substr(0, relationship_name.size()) == relationship_name &&
            column.substr(relationship_name.size()) == "_id")
            found = i;
    }
    return found;
}

template <class Key, class Model>
struct key_owner_is : std::false_type {};
template <auto First, auto... Rest, class Model>
struct key_owner_is<key<First, Rest...>, Model> : std::is_same<reflect::member_class_t<First>, Model> {};

template <class Owner, std::size_t Field>
struct relationship_info_at;
template <auto Member>
using relationship_info = relationship_info_at<reflect::member_class_t<Member>, reflect::member_index_v<Member>>;

/// The foreign key on From referencing To that a relationship uses, checked.
template <class Owner, auto Name, class From, class To, class Config, auto Back>
consteval std::size_t resolve_foreign_key() {
    using override_key = typename Config::foreign_key_members;
    if constexpr (override_key::size > 0) {
        constexpr std::size_t at = foreign_key_with_members<From, To>(override_key{});
        static_assert(check_foreign_keys_option<Owner, Name, To, at != reflect::npos>::value);
        return at == reflect::npos ? 0 : at;
    } else {
        constexpr std::size_t candidates = count_foreign_keys<From, To>();
        if constexpr (candidates == 1) {
            return first_foreign_key<From, To>();
        } else {
            // Several: the one named after the relationship, or the one the other side uses.
            constexpr std::size_t named = [] {
                if constexpr (std::is_same_v<From, Owner>)
                    return foreign_key_named_after<From, To>(schema::detail::column_name_of(std::string_view(Name.text)));
                else if constexpr (!std::is_same_v<decltype(Back), std::nullptr_t>)
                    return relationship_info<Back>::foreign_key;
                else
                    return reflect::npos;
            }();
            static_assert(check_foreign_key_found<Owner, Name, To, candidates>::value);
            if constexpr (named != reflect::npos) {
                return named;
            } else {
                static_assert(check_foreign_key_unambiguous<Owner, Name, To, candidates>::value);
                return 0;
            }
        }
    }
}

/// Everything known about the relationship member at field Field of Owner, at compile time.
template <class Owner, std::size_t Field>
struct relationship_info_at {
    using owner = Owner;
    using member_type = reflect::field_type_t<Owner, Field>;
    static constexpr std::size_t field = Field;
    static constexpr auto name_text = schema::detail::member_name_v<owner, field>;
    static_assert(check_is_relationship_member<owner, name_text, member_type>::value);

    using target = typename member_type::target_type;
    static constexpr auto config = config_of<owner, Field>();
    using config_type = std::remove_cvref_t<decltype(config)>;
    using secondary = typename config_type::secondary_model;
    static constexpr auto back = config_type::back;
    static constexpr bool has_back = !std::is_same_v<std::remove_cvref_t<decltype(back)>, std::nullptr_t>;
    static constexpr bool is_collection = member_type::is_collection;
    static constexpr reflorm::cascade cascades = config.cascades;
    static constexpr loader_strategy default_loader = config.loader;
    static_assert(default_loader == loader_strategy::raise || default_loader == loader_strategy::selectin ||
                      default_loader == loader_strategy::noload,
                  "reflorm: relationship<...>{}.lazy() takes loader_strategy::selectin, noload or raise; joined and "
                  "subquery loaders are chosen per query with joinedload/subqueryload options");

    static constexpr relationship_kind kind = [] {
        if constexpr (!std::is_void_v<secondary>) {
            static_assert(check_many_to_many_is_collection<owner, name_text, is_collection>::value);
            return relationship_kind::many_to_many;
        } else if constexpr (is_collection) {
            return relationship_kind::one_to_many;
        } else {
            using override_key = typename config_type::foreign_key_members;
            if constexpr (override_key::size > 0)
                return key_owner_is<override_key, owner>::value ? relationship_kind::many_to_one : relationship_kind::one_to_one;
            else if constexpr (count_foreign_keys<owner, target>() > 0)
                return relationship_kind::many_to_one;
            else
                return relationship_kind::one_to_one;
        }
    }();

    /// The model whose columns hold the foreign key, and the model it references. For a
    /// many-to-many these describe the secondary's key to the owner; see target_key.
    using foreign_model = std::conditional_t<kind == relationship_kind::many_to_one, owner,
                                             std::conditional_t<kind == relationship_kind::many_to_many, secondary, target>>;
    using referenced_model = std::conditional_t<kind == relationship_kind::many_to_one, target, owner>;

    /// Whether the back_populates side names its foreign key with .foreign_keys<>() (read from its
    /// configuration alone: its relationship_info may depend on this one's).
    static constexpr bool back_names_foreign_key = [] {
        if constexpr (!has_back)
            return false;
        else
            return std::remove_cvref_t<decltype(config_of<reflect::member_class_t<back>, reflect::member_index_v<back>>())>::
                       foreign_key_members::size > 0;
    }();

    static constexpr bool post_update = config.post_updates;

    static constexpr std::size_t foreign_key = [] {
        if constexpr (kind == relationship_kind::many_to_many) {
            using override_key = typename config_type::foreign_key_members;
            if constexpr (override_key::size > 0) {
                // Which of the secondary's keys refers to the owner: a self-referential one has two.
                constexpr std::size_t at = foreign_key_with_members<secondary, owner>(override_key{});
                static_assert(check_foreign_keys_option<owner, name_text, owner, at != reflect::npos>::value);
                return at == reflect::npos ? 0 : at;
            } else if constexpr (std::is_same_v<owner, target> && back_names_foreign_key) {
                return relationship_info<back>::target_key;  // the other direction of the same rows
            } else {
                constexpr std::size_t n = count_foreign_keys<secondary, owner>();
                static_assert(check_secondary<owner, name_text, secondary, n == 1 || std::is_same_v<owner, target>>::value);
                return first_foreign_key<secondary, owner>();
            }
        } else {
            return resolve_foreign_key<owner, name_text, foreign_model, referenced_model, config_type, back>();
        }
    }();
    /// For a many-to-many: the secondary's foreign key to the target (when both sides are the
    /// same model, the one that is not foreign_key).
    static constexpr std::size_t target_key = [] {
        if constexpr (kind == relationship_kind::many_to_many) {
            constexpr std::size_t n = count_foreign_keys<secondary, target>();
            static_assert(check_secondary<owner, name_text, secondary, n >= 1>::value);
            if constexpr (std::is_same_v<owner, target>) {
                const auto& keys = schema::table_of<secondary>.foreign_keys;
                for (std::size_t i = 0; i < keys.size(); ++i)
                    if (i != foreign_key && references<target>(keys[i])) return i;
                return foreign_key;
            } else {
                return first_foreign_key<secondary, target>();
            }
        } else {
            return reflect::npos;
        }
    }();

    /// Whether the foreign key was found (when not, a check has stopped compilation with its
    /// message, and code that would use the key is skipped to spare follow-on errors).
    static constexpr bool resolved = foreign_key < schema::table_of<foreign_model>.foreign_keys.size();

    static constexpr const schema::foreign_key_info& fk() { return schema::table_of<foreign_model>.foreign_keys[foreign_key]; }

    static constexpr relationship_name name{schema::table_of<owner>.model_name, reflect::field_name_v<owner, field>};

    static constexpr bool back_valid = [] {
        if constexpr (!has_back) {
            return true;
        } else {
            using back_type = reflect::member_value_t<back>;
            if constexpr (!relationship_member<back_type>)
                return false;
            else
                return std::is_same_v<reflect::member_class_t<back>, target> && std::is_same_v<typename back_type::target_type, owner>;
        }
    }();
    static_assert(check_back_populates<owner, name_text, target, back_valid>::value);

    static constexpr bool post_update_valid = [] {
        if constexpr (!post_update || !resolved) {
            return true;
        } else if constexpr (kind != relationship_kind::many_to_one) {
            return false;
        } else {
            for (auto c : fk().columns.view())
                if (!schema::table_of<owner>.columns[c].nullable) return false;
            return true;
        }
    }();
    static_assert(check_post_update<owner, name_text, post_update_valid>::value);
};

/// Whether a many-to-one of T over foreign key number F asks for post_update.
template <class T, std::size_t F>
consteval bool post_update_on_key();

/// The relationship members of T, as field indices.
template <class T>
consteval auto relationship_fields() {
    constexpr std::size_t n = [] {
        std::size_t count = 0;
        reflect::for_each_field_index<T>([&](auto i) {
            if constexpr (relationship_member<reflect::field_type_t<T, i.value>>) ++count;
        });
        return count;
    }();
    std::array<std::size_t, n> fields{};
    std::size_t at = 0;
    reflect::for_each_field_index<T>([&](auto i) {
        if constexpr (relationship_member<reflect::field_type_t<T, i.value>>) fields[at++] = i.value;
    });
    return fields;
}
template <class T>
inline constexpr auto relationship_fields_v = relationship_fields<T>();

template <class T, std::size_t F>
consteval bool post_update_on_key() {
    return []<std::size_t... R>(std::index_sequence<R...>) {
        return ([] {
            using info = relationship_info_at<T, relationship_fields_v<T>[R]>;
            if constexpr (info::kind == relationship_kind::many_to_one)
                return info::post_update && info::foreign_key == F;
            else
                return false;
        }() || ...);
    }(std::make_index_sequence<relationship_fields_v<T>.size()>{});
}

}  // namespace reflorm::orm_detail
