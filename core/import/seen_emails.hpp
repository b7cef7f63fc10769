#pragma once
// A fixed-size Bloom filter over emails, for the import's locked direct path: it says "certainly
// new" or "maybe seen", in memory that does not grow with the file.

#include <cstdint>
#include <string_view>
#include <vector>

namespace usersctl {

class SeenEmails {
public:
    /// Memory: 2 MiB, so that an import's memory stays within a few MiB of a small one's. With
    /// 4 bits set per email, "maybe seen" is wrong for about 1 new email in 15 after 3,000,000
    /// emails, 2 in 3 after 10,000,000: each costs a look-up in the table's lower(email) index,
    /// batched per chunk (a few milliseconds for 5,000 rows), never a wrong answer.
    SeenEmails();
    void add(std::string_view email);
    /// False: `email` was never added. True: it may have been.
    bool maybe_contains(std::string_view email) const;

private:
    std::vector<std::uint64_t> m_bits;
};

}  // namespace usersctl
