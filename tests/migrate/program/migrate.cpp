// A migration program as a user builds one (docs/migrations.md): the models, the revisions of
// versions/ (written by `revision --autogenerate`, listed by versions/meson.build), and
// reflorm::migrate::main. test_program runs it on each backend.
#include "../models.hpp"

#include <reflorm/migrate.hpp>

int main(int argc, char** argv) {
    using namespace migrate_test;
    return reflorm::migrate::main(argc, argv, reflorm::migrate::revisions(), reflorm::migrate::models<Author, Book, Note>());
}
