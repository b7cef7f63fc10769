#include "core/import/seen_emails.hpp"

#include <functional>

namespace usersctl {

namespace {

constexpr unsigned k_block_bits = 15;  // 32,768 blocks of 512 bits: 2 MiB
constexpr int k_probes = 4;            // 9 bits of the hash each, after the block's 15

std::uint64_t block_of(std::uint64_t hash)
{
    return hash & ((std::uint64_t{1} << k_block_bits) - 1);
}

// Calls visit(word, mask) for each of the email's bits in its block; returns whether every call
// returned true.
template <typename Blocks, typename Visit>
bool each_bit(Blocks& blocks, std::uint64_t hash, Visit&& visit)
{
    auto& block = blocks[block_of(hash)];
    hash >>= k_block_bits;
    bool all = true;
    for (int i = 0; i < k_probes; ++i, hash >>= 9) {
        const unsigned bit = static_cast<unsigned>(hash & 511U);
        all = visit(block.words[bit / 64], std::uint64_t{1} << (bit % 64)) && all;
    }
    return all;
}

}  // namespace

SeenEmails::SeenEmails() : m_blocks(std::size_t{1} << k_block_bits, Block{}) {}

std::uint64_t SeenEmails::hash(std::string_view email)
{
    return std::hash<std::string_view>{}(email);
}

bool SeenEmails::add(std::uint64_t hash)
{
    return each_bit(m_blocks, hash, [](std::uint64_t& word, std::uint64_t mask) {
        const bool was = (word & mask) != 0;
        word |= mask;
        return was;
    });
}

std::vector<std::uint32_t> SeenEmails::add_all(const std::vector<std::uint64_t>& hashes)
{
    constexpr std::size_t k_ahead = 8;
    std::vector<std::uint32_t> maybe;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        if (i + k_ahead < hashes.size()) {
            __builtin_prefetch(&m_blocks[block_of(hashes[i + k_ahead])], 1);
        }
        if (add(hashes[i])) {
            maybe.push_back(static_cast<std::uint32_t>(i));
        }
    }
    return maybe;
}

bool SeenEmails::maybe_contains(std::string_view email) const
{
    return each_bit(m_blocks, hash(email), [](const std::uint64_t& word, std::uint64_t mask) { return (word & mask) != 0; });
}

}  // namespace usersctl
