// The identity map's key index (orm/detail/key_index.hpp) against std::map, with no database:
// it is a data structure, and the sessions over it run on every backend in the other suites
// (orm_snapshot reads keys that crowd the index's low bits on each).
#define BOOST_TEST_MODULE orm_key_index
#include <boost/test/unit_test.hpp>

#include <reflorm/orm/detail/key_index.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

using reflorm::orm_detail::key_index;

// Random inserts, replacements, erases (by key and by slot) and finds, checked against std::map
// after every step; `make_key` draws a key from the generator.
template <class Key, class MakeKey>
void run_against_map(std::uint32_t seed, int steps, MakeKey make_key) {
    std::mt19937 random{seed};
    key_index<Key, const int*> index;
    std::map<Key, const int*> model;
    std::vector<int> values(64);
    for (int step = 0; step < steps; ++step) {
        const Key key = make_key(random);
        const int* value = &values[random() % values.size()];
        switch (random() % 5) {
        case 0:
        case 1: {
            auto [slot, fresh] = index.try_emplace(Key{key});
            BOOST_TEST_REQUIRE(fresh == !model.contains(key));
            if (fresh) {
                slot->value = value;
                model[key] = value;
            } else {
                BOOST_TEST_REQUIRE(slot->value == model[key]);
            }
            break;
        }
        case 2:
            index.assign(key, value);
            model[key] = value;
            break;
        case 3:
            index.erase(key);
            model.erase(key);
            break;
        default: {
            // A slot taken and given back, as materialize does when storing the object throws.
            auto [slot, fresh] = index.try_emplace(Key{key});
            if (fresh) index.erase(slot);
            break;
        }
        }
        BOOST_TEST_REQUIRE(index.size() == model.size());
        const Key probe = make_key(random);
        const auto it = model.find(probe);
        BOOST_TEST_REQUIRE(index.find(probe) == (it == model.end() ? nullptr : it->second));
    }
    for (const auto& [key, value] : model) BOOST_TEST_REQUIRE(index.find(key) == value);
}

}  // namespace

BOOST_AUTO_TEST_CASE(integer_keys_in_a_narrow_range_match_a_map) {
    for (std::uint32_t seed = 1; seed <= 200; ++seed)
        run_against_map<std::tuple<std::int64_t>>(seed, 2000, [](std::mt19937& r) {
            return std::tuple<std::int64_t>{static_cast<std::int64_t>(r() % 300) - 100};
        });
}

// Keys 2^20 apart share their low bits: the index switches to its mixed hash, and still
// finds, replaces and erases each one.
BOOST_AUTO_TEST_CASE(integer_keys_that_share_their_low_bits_match_a_map) {
    for (std::uint32_t seed = 1; seed <= 100; ++seed)
        run_against_map<std::tuple<std::int64_t>>(seed, 3000, [](std::mt19937& r) {
            return std::tuple<std::int64_t>{static_cast<std::int64_t>(r() % 500) << 20};
        });
}

BOOST_AUTO_TEST_CASE(string_and_composite_keys_match_a_map) {
    for (std::uint32_t seed = 1; seed <= 100; ++seed) {
        run_against_map<std::tuple<std::string>>(seed, 1500, [](std::mt19937& r) {
            return std::tuple<std::string>{"key " + std::to_string(r() % 400)};
        });
        run_against_map<std::tuple<std::int64_t, std::string>>(seed, 1500, [](std::mt19937& r) {
            return std::tuple<std::int64_t, std::string>{r() % 20, std::to_string(r() % 20)};
        });
    }
}

// A million keys in order fill 2^20 slots (31/32 full at most), not 2^21: 16 MiB for the
// index of a million-row read.
BOOST_AUTO_TEST_CASE(keys_read_in_order_fill_the_index_without_gaps) {
    key_index<std::tuple<std::int64_t>, const int*> index;
    const int value = 0;
    for (std::int64_t id = 1; id <= 1'000'000; ++id) index.try_emplace({id}).first->value = &value;
    BOOST_TEST(index.size() == 1'000'000u);
    BOOST_TEST(index.capacity() == std::size_t{1} << 20);
    for (std::int64_t id = 1; id <= 1'000'000; id += 997) BOOST_TEST_REQUIRE(index.find({id}) == &value);
    BOOST_TEST(index.find({0}) == nullptr);
    BOOST_TEST(index.find({1'000'001}) == nullptr);
}
