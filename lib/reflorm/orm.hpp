#pragma once
// Everything a user of reflorm's ORM level needs: the Core level, relationships and the session.
#include <reflorm/orm/relationship.hpp>
#include <reflorm/orm/relationship_join.hpp>
#include <reflorm/orm/relationship_options.hpp>
#include <reflorm/orm/session.hpp>
#include <reflorm/orm/sessionmaker.hpp>
#include <reflorm/reflorm.hpp>
