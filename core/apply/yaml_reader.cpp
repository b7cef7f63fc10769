// The only yaml-cpp user: YAML text into a DocNode. yaml-cpp keeps the last of repeated keys
// without a word, so repetitions are found here, while converting.

#include "core/apply/document.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"

#include <set>
#include <yaml-cpp/yaml.h>

namespace usersctl {

namespace {

std::string where(const YAML::Mark& mark)
{
    if (mark.is_null()) {
        return "in the YAML";
    }
    return "at line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

// Aliases repeat a node wherever they appear, so a small file can expand exponentially (the
// "billion laughs"): the expansion is bounded, far above what 100,000 accounts need.
constexpr std::size_t k_max_nodes = 20'000'000;

DocNode convert(const YAML::Node& node, int depth, std::size_t& nodes)
{
    if (depth > 64) {
        throw InvalidInput("the YAML nests deeper than 64 levels " + where(node.Mark()));
    }
    if (++nodes > k_max_nodes) {
        throw InvalidInput("the YAML expands to more than " + std::to_string(k_max_nodes) +
                           " nodes (aliases repeating aliases?)");
    }
    DocNode out;
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        out.kind = DocNode::Kind::null;
        break;
    case YAML::NodeType::Scalar:
        out.kind = DocNode::Kind::string;
        out.text = node.Scalar();
        break;
    case YAML::NodeType::Sequence:
        out.kind = DocNode::Kind::sequence;
        for (const auto& item : node) {
            out.items.push_back(convert(item, depth + 1, nodes));
        }
        break;
    case YAML::NodeType::Map: {
        out.kind = DocNode::Kind::mapping;
        std::set<std::string> seen;
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) {
                throw InvalidInput("a key that is not a string " + where(entry.first.Mark()));
            }
            const std::string& key = entry.first.Scalar();
            if (!seen.insert(key).second) {
                // Not quoted back: a mistyped line may have put a value where a key belongs.
                throw InvalidInput("a key appears twice in one mapping " + where(entry.first.Mark()),
                                   "give each key once");
            }
            out.entries.emplace_back(key, convert(entry.second, depth + 1, nodes));
        }
        break;
    }
    }
    return out;
}

}  // namespace

DocNode read_yaml(const std::string& text)
{
    try {
        const YAML::Node root = YAML::Load(text);
        std::size_t nodes = 0;
        return convert(root, 0, nodes);
    } catch (const YAML::Exception& e) {
        // e.msg is one of yaml-cpp's fixed texts; e.what() would add nothing but the mark.
        throw InvalidInput("YAML syntax error " + where(e.mark) + ": " + e.msg);
    }
}

}  // namespace usersctl
