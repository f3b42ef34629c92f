// expect: reflorm: JSON documents cannot be compared in SQL
// expect: compare a value extracted from the document instead
// A JSON column compared with a document: backends disagree on what equality means.
#include <reflorm/sql/select.hpp>
#include <boost/json/value.hpp>
#include <cstdint>

struct Document {
    std::int64_t id;
    boost::json::value body;
};

auto statement = reflorm::select<Document>().where(reflorm::c<&Document::body> == boost::json::value(1));
