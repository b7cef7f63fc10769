#include "core/import/seen_emails.hpp"

#include <functional>

namespace usersctl {

namespace {

constexpr std::size_t k_bits = std::size_t{1} << 24;  // 2 MiB
constexpr int k_probes = 4;

// The k probe positions by double hashing (Kirsch and Mitzenmacher): two 32-bit halves of one
// 64-bit hash, the second odd so that the positions differ.
template <typename Visit>
bool each_position(std::string_view email, Visit&& visit)
{
    const std::uint64_t hash = std::hash<std::string_view>{}(email);
    const std::uint64_t h1 = hash & 0xffffffffU;
    const std::uint64_t h2 = (hash >> 32) | 1U;
    for (int i = 0; i < k_probes; ++i) {
        if (!visit((h1 + static_cast<std::uint64_t>(i) * h2) & (k_bits - 1))) {
            return false;
        }
    }
    return true;
}

}  // namespace

SeenEmails::SeenEmails() : m_bits(k_bits / 64, 0) {}

void SeenEmails::add(std::string_view email)
{
    each_position(email, [this](std::uint64_t bit) {
        m_bits[bit / 64] |= std::uint64_t{1} << (bit % 64);
        return true;
    });
}

bool SeenEmails::maybe_contains(std::string_view email) const
{
    return each_position(email, [this](std::uint64_t bit) { return (m_bits[bit / 64] >> (bit % 64) & 1U) != 0; });
}

}  // namespace usersctl
