#include "core/hash_format_parts.hpp"

namespace usersctl::hash_format {

std::optional<std::uint64_t> parse_count(std::string_view s)
{
    if (s.empty() || s.size() > 10) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

std::vector<std::string_view> split(std::string_view s, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(separator, start);
        if (pos == std::string_view::npos) {
            parts.push_back(s.substr(start));
            return parts;
        }
        parts.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

ParsedHash unsupported(std::string problem)
{
    ParsedHash out;
    out.info.family = "unsupported";
    out.info.label = "unsupported";
    out.info.problem = std::move(problem);
    return out;
}

ParsedHash recognised(std::string family, std::uint64_t cost, std::string label)
{
    ParsedHash out;
    out.info.family = std::move(family);
    out.info.cost = cost;
    out.info.label = std::move(label);
    out.info.usable = true;
    return out;
}

void refuse_cost(ParsedHash& parsed, const std::string& why)
{
    parsed.info.usable = false;
    parsed.info.problem = why;
}

}  // namespace usersctl::hash_format
