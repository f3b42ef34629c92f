#pragma once
// Everything a user of reflorm's Core level needs.
#include <reflorm/dialect/dialect.hpp>
#include <reflorm/engine/connection.hpp>
#include <reflorm/engine/ddl.hpp>
#include <reflorm/engine/engine.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/url.hpp>
#include <reflorm/schema/options.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/aggregates.hpp>
#include <reflorm/sql/arithmetic.hpp>
#include <reflorm/sql/functions.hpp>
#include <reflorm/sql/predicates.hpp>
#include <reflorm/sql/select.hpp>
#include <reflorm/sql/to_sql.hpp>
