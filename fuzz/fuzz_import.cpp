// libFuzzer target: import row reading (CSV through libcsv, JSON Lines). The first byte picks
// the format and the read size; line numbers must never go backwards and a bad record must
// carry no content.
#include "core/errors.hpp"
#include "core/import_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const auto format = (data[0] & 1) != 0 ? usersctl::ImportFormat::jsonl : usersctl::ImportFormat::csv;
    const std::size_t chunk = 1 + (data[0] >> 1);
    const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t pos = 0;
    try {
        usersctl::ImportReader reader(format, [&](char* buffer, std::size_t room) {
            const std::size_t n = std::min({room, chunk, input.size() - pos});
            std::memcpy(buffer, input.data() + pos, n);
            pos += n;
            return n;
        });
        usersctl::ImportRecord record;
        std::uint64_t last_line = 0;
        while (reader.next(record)) {
            if (record.line < last_line || record.line == 0) {
                __builtin_trap();
            }
            last_line = record.line;
            if (!record.problem.empty()) {
                for (const auto& field : record.fields) {
                    if (field) {
                        __builtin_trap();
                    }
                }
            }
        }
    } catch (const usersctl::InvalidInput&) {
    }
    return 0;
}
