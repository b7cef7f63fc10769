#pragma once
// A fixed-size Bloom filter over emails, for the import's locked direct path: it says "certainly
// new" or "maybe seen", in memory that does not grow with the file.

#include <cstdint>
#include <string_view>
#include <vector>

namespace usersctl {

class SeenEmails {
public:
    /// Memory: 2 MiB, so that an import's memory stays within a few MiB of a small one's. An
    /// email sets 4 bits of one 64-byte block (one cache line per look-up, where bits spread
    /// over the whole filter cost a cache miss each). "Maybe seen" is wrong for about 1 new
    /// email in 12 after 3,000,000 emails, 2 in 3 after 10,000,000: each costs a look-up in the
    /// table's lower(email) index, batched per chunk (a few milliseconds for 5,000 rows), never
    /// a wrong answer.
    SeenEmails();

    /// The hash the filter uses; equal emails have equal hashes.
    static std::uint64_t hash(std::string_view email);
    /// Adds the email of `hash`; returns whether it may have been added before.
    bool add(std::uint64_t hash);
    void add(std::string_view email) { add(hash(email)); }
    /// Adds the emails of `hashes` in turn (their blocks fetched a few emails ahead, so the cache
    /// misses overlap); returns the positions of those that may have been added before.
    std::vector<std::uint32_t> add_all(const std::vector<std::uint64_t>& hashes);
    /// False: `email` was never added. True: it may have been.
    bool maybe_contains(std::string_view email) const;

private:
    struct alignas(64) Block {
        std::uint64_t words[8];
    };
    std::vector<Block> m_blocks;
};

}  // namespace usersctl
