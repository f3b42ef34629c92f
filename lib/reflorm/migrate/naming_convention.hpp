#pragma once
// Names of constraints and indexes, as SQLAlchemy's MetaData(naming_convention=...): a template
// per kind of object, with %(token)s placeholders. Migrations compare and drop objects by these
// names, so the default convention is the one reflorm's create_all uses (sql/ddl.hpp):
// ix_<table>_<columns>, uq_<table>_<columns>, fk_<table>_<columns> and <table>_pkey.
#include <span>
#include <string>
#include <string_view>

namespace reflorm::migrate {

/// One template per kind of object. Tokens, as SQLAlchemy's: %(table_name)s,
/// %(column_0_name)s (the first column), %(column_0_N_name)s (all columns joined by '_'),
/// %(column_0_label)s and %(column_0_N_label)s (the same, each prefixed by "<table>_"),
/// %(referred_table_name)s (foreign keys).
struct naming_convention {
    std::string ix = "ix_%(table_name)s_%(column_0_N_name)s";
    std::string uq = "uq_%(table_name)s_%(column_0_N_name)s";
    std::string fk = "fk_%(table_name)s_%(column_0_N_name)s";
    // Not SQLAlchemy's pk_%(table_name)s: PostgreSQL's own name, by whose _pkey suffix reflorm's
    // PostgreSQL driver tells a primary key violation from another unique one.
    std::string pk = "%(table_name)s_pkey";
};

/// `pattern` with its tokens replaced, shortened past 63 characters as create_all shortens its
/// names (sql::bounded_identifier). Throws invalid_request_error for an unknown token, or a
/// column token when `columns` is empty.
std::string apply_naming_convention(std::string_view pattern, std::string_view table, std::span<const std::string> columns,
                                    std::string_view referred_table = {});

}  // namespace reflorm::migrate
