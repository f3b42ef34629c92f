// The session's large arrays (orm/detail/large_block.hpp): blocks below 2 MiB from operator
// new, larger ones mapped on their own and advised as huge pages. No database: a data
// structure, under every session of the other suites (snapshots, key slots, entry lists).
#define BOOST_TEST_MODULE orm_large_block
#include <boost/test/unit_test.hpp>

#include <reflorm/orm/detail/large_block.hpp>
#include <reflorm/orm/detail/snapshot_arena.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

using namespace reflorm::orm_detail;

constexpr std::size_t mib = std::size_t{1} << 20;

BOOST_AUTO_TEST_CASE(blocks_on_both_sides_of_two_mib_are_aligned_writable_and_freed) {
    for (std::size_t align : {std::size_t{8}, std::size_t{64}, std::size_t{1} << 16, 2 * mib})
        for (std::size_t bytes : {std::size_t{1}, std::size_t{4096}, 2 * mib - 1, 2 * mib, 2 * mib + 1, 5 * mib}) {
            auto* p = static_cast<unsigned char*>(allocate_large(bytes, align));
            BOOST_TEST_REQUIRE(p != nullptr);
            BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % align == 0, "align " << align << ", " << bytes << " bytes");
            std::memset(p, 0x5a, bytes);  // every byte asked for is there (ASan checks the small ones)
            BOOST_TEST(p[0] == 0x5a);
            BOOST_TEST(p[bytes - 1] == 0x5a);
            free_large(p, bytes, align);
        }
    free_large(nullptr, 3 * mib, 8);  // ignored, as delete of nullptr
}

BOOST_AUTO_TEST_CASE(a_vector_keeps_its_values_as_it_grows_past_the_mapped_size) {
    std::vector<std::uint64_t, large_allocator<std::uint64_t>> values;
    for (std::uint64_t i = 0; i < 1'000'000; ++i) values.push_back(i * 7);  // 8 MB: regrows from heap to mapped blocks
    bool same = true;
    for (std::uint64_t i = 0; i < values.size(); ++i) same = same && values[i] == i * 7;
    BOOST_TEST(same);
    values.clear();
    values.shrink_to_fit();
    BOOST_TEST(values.capacity() == 0u);
}

BOOST_AUTO_TEST_CASE(snapshot_records_in_mapped_chunks_stay_apart) {
    snapshot_arena arena;
    std::vector<std::byte*> records;
    for (std::uint32_t i = 0; i < 200'000; ++i) {  // about 10 MB: 2 MiB chunks after the first 2 MiB
        std::byte* r = arena.allocate(44);
        std::memset(r, static_cast<int>(i & 0xff), 44);
        std::memcpy(r, &i, sizeof i);
        records.push_back(r);
    }
    bool intact = true;
    for (std::uint32_t i = 0; i < records.size(); ++i) {
        std::uint32_t stored;
        std::memcpy(&stored, records[i], sizeof stored);
        intact = intact && stored == i && records[i][43] == std::byte(i & 0xff);
    }
    BOOST_TEST(intact);
}

}  // namespace
