// libFuzzer target: COPY text format. Any row encoded and decoded again is the same row, and
// decoding arbitrary bytes never fails (and what it yields round-trips too).
#include "core/copy_text.hpp"

#include <cstdint>
#include <string>

namespace {

std::string encode(const usersctl::Row& row)
{
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
        usersctl::append_copy_field(line, row[i], i == 0);
    }
    return line;
}

void check_round_trip(const usersctl::Row& row, usersctl::Row& scratch)
{
    const std::string line = encode(row);
    usersctl::decode_copy_line(line, scratch);
    if (scratch != row) {
        __builtin_trap();
    }
    usersctl::decode_copy_line(line + "\n", scratch);
    if (scratch != row) {
        __builtin_trap();
    }
}

}  // namespace

// The first byte shapes the row: 1 + (bits 0-2) fields cut from the rest at even steps, and
// bits 3-7 make the first five fields NULL. The rest, decoded as one line, is the second input.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t fields = 1 + (data[0] & 7);
    usersctl::Row row;
    for (std::size_t i = 0; i < fields; ++i) {
        if (i < 5 && (data[0] >> (3 + i) & 1) != 0) {
            row.emplace_back(std::nullopt);
        } else {
            const std::size_t from = i * rest.size() / fields;
            const std::size_t to = (i + 1) * rest.size() / fields;
            row.emplace_back(rest.substr(from, to - from));
        }
    }
    usersctl::Row scratch{std::string("left over"), std::nullopt, std::string(), std::string("x")};
    check_round_trip(row, scratch);

    usersctl::Row decoded;
    usersctl::decode_copy_line(rest, decoded);
    if (decoded.empty()) {
        __builtin_trap();
    }
    check_round_trip(decoded, scratch);
    return 0;
}
