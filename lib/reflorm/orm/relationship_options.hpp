#pragma once
// Configuring a relationship in reflorm::model<T>, with SQLAlchemy's option names:
//
//   static constexpr auto relationships = reflorm::relationships(
//       reflorm::relationship<&User::addresses>{}
//           .back_populates<&Address::user>()
//           .cascade(reflorm::cascade::all | reflorm::cascade::delete_orphan)
//           .order_by(reflorm::c<&Address::id>));
//
// A relationship member needs no entry here when its foreign key is unambiguous.
#include <reflorm/orm/load_options.hpp>
#include <reflorm/schema/options.hpp>
#include <reflorm/sql/column.hpp>

#include <tuple>
#include <type_traits>

namespace reflorm {

/// SQLAlchemy's cascade options, combined with |. The default is save_update.
enum class cascade : unsigned {
    none = 0,
    save_update = 1u << 0,    // flushing the parent adds what the relationship reaches
    delete_ = 1u << 1,        // deleting the parent deletes the children
    delete_orphan = 1u << 2,  // a child removed from the collection is deleted
    all = save_update | delete_,
};
constexpr cascade operator|(cascade a, cascade b) { return cascade(unsigned(a) | unsigned(b)); }
constexpr bool has(cascade set, cascade flag) { return (unsigned(set) & unsigned(flag)) == unsigned(flag); }

namespace orm_detail {
struct no_order {};
inline constexpr std::nullptr_t no_member = nullptr;
}  // namespace orm_detail

/// One relationship's options. Member is the relationship member (`&User::addresses`);
/// Back the member on the other side kept in step with it (back_populates); ForeignKey, when
/// given, the key<...> of foreign key members that links the two sides (for models joined by
/// more than one foreign key); Secondary the association model of a many-to-many.
template <auto Member, auto Back = orm_detail::no_member, class ForeignKey = key<>, class Secondary = void,
          class OrderBy = orm_detail::no_order>
struct relationship_t {
    static constexpr auto member = Member;
    static constexpr auto back = Back;
    using foreign_key_members = ForeignKey;
    using secondary_model = Secondary;
    using order_by_type = OrderBy;

    reflorm::cascade cascades = reflorm::cascade::save_update;
    OrderBy order{};
    loader_strategy loader = loader_strategy::raise;
    bool post_updates = false;

    /// The member on the other model that mirrors this one: SQLAlchemy's back_populates.
    template <auto Other>
    constexpr relationship_t<Member, Other, ForeignKey, Secondary, OrderBy> back_populates() const {
        return {cascades, order, loader, post_updates};
    }
    /// The foreign key member(s) that link the two models, for when more than one does.
    template <auto... Members>
    constexpr relationship_t<Member, Back, key<Members...>, Secondary, OrderBy> foreign_keys() const {
        return {cascades, order, loader, post_updates};
    }
    /// Many-to-many through the association model A, which has a foreign key to each side.
    template <class A>
    constexpr relationship_t<Member, Back, ForeignKey, A, OrderBy> secondary() const {
        return {cascades, order, loader, post_updates};
    }
    /// Replaces the cascade set (default save_update), as SQLAlchemy's cascade="...".
    constexpr relationship_t cascade(reflorm::cascade c) const {
        auto copy = *this;
        copy.cascades = c;
        return copy;
    }
    /// The order of a loaded collection: a column or asc()/desc() of one on the target model.
    template <class E>
    constexpr relationship_t<Member, Back, ForeignKey, Secondary, E> order_by(E e) const {
        return {cascades, e, loader};
    }
    /// SQLAlchemy's post_update, for a many-to-one whose foreign key is nullable: the key is
    /// written by a second UPDATE after the INSERTs when its target is new in the same flush, and
    /// set to NULL by an UPDATE before the DELETEs when its target is deleted in the same flush.
    /// (The flush does both on its own where foreign keys form a cycle; this asks for it always.)
    constexpr relationship_t post_update() const {
        auto copy = *this;
        copy.post_updates = true;
        return copy;
    }
    /// The loader used whenever the session loads objects of this model and no option of the
    /// query names this relationship, as SQLAlchemy's relationship(lazy=...): selectin (one
    /// SELECT per batch of 500 keys) or noload; the default, raise, leaves it unloaded.
    constexpr relationship_t lazy(loader_strategy strategy) const {
        auto copy = *this;
        copy.loader = strategy;
        return copy;
    }
};

template <auto Member>
using relationship = relationship_t<Member>;

/// Bundles relationship options for `model<T>::relationships`.
template <class... R>
constexpr std::tuple<R...> relationships(R... r) {
    return {r...};
}

}  // namespace reflorm
