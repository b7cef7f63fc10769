// JSON text into a DocNode through nlohmann::json's SAX interface: repeated keys are refused
// (nlohmann would keep the last), and an error names its byte offset without the token.

#include "core/apply/document.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"

#include <nlohmann/json.hpp>
#include <set>

namespace usersctl {

namespace {

constexpr std::size_t k_max_depth = 64;

class Builder : public nlohmann::json_sax<nlohmann::json> {
public:
    DocNode root;

    bool null() override { return add(DocNode{}); }
    bool boolean(bool /*value*/) override { return add(scalar()); }
    bool number_integer(number_integer_t /*value*/) override { return add(scalar()); }
    bool number_unsigned(number_unsigned_t /*value*/) override { return add(scalar()); }
    bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return add(scalar()); }
    bool binary(binary_t& /*value*/) override { return add(scalar()); }
    bool string(string_t& value) override
    {
        DocNode node;
        node.kind = DocNode::Kind::string;
        node.text = std::move(value);
        return add(std::move(node));
    }
    bool start_object(std::size_t /*size*/) override
    {
        DocNode node;
        node.kind = DocNode::Kind::mapping;
        return open(std::move(node));
    }
    bool key(string_t& name) override
    {
        if (!m_keys.back().insert(name).second) {
            throw InvalidInput("a key appears twice in one object in the JSON", "give each key once");
        }
        m_pending_key = name;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t /*size*/) override
    {
        DocNode node;
        node.kind = DocNode::Kind::sequence;
        return open(std::move(node));
    }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& /*error*/) override
    {
        // The last token may be part of a value: only the position is reported.
        throw InvalidInput("JSON syntax error at byte " + std::to_string(position));
    }

private:
    static DocNode scalar()
    {
        DocNode node;
        node.kind = DocNode::Kind::other_scalar;
        return node;
    }

    // Where the next value goes: the open container, or the root.
    DocNode& slot()
    {
        if (m_open.empty()) {
            return root;
        }
        DocNode& parent = *m_open.back();
        if (parent.kind == DocNode::Kind::sequence) {
            parent.items.emplace_back();
            return parent.items.back();
        }
        parent.entries.emplace_back(std::move(m_pending_key), DocNode{});
        m_pending_key.clear();
        return parent.entries.back().second;
    }

    bool add(DocNode&& node)
    {
        slot() = std::move(node);
        return true;
    }

    bool open(DocNode&& node)
    {
        if (m_open.size() >= k_max_depth) {
            throw InvalidInput("the JSON nests deeper than " + std::to_string(k_max_depth) + " levels");
        }
        DocNode& placed = slot();
        placed = std::move(node);
        // Children are appended to the innermost container only, so these pointers stay valid.
        m_open.push_back(&placed);
        m_keys.emplace_back();
        return true;
    }

    bool close()
    {
        m_open.pop_back();
        m_keys.pop_back();
        return true;
    }

    std::vector<DocNode*> m_open;
    std::vector<std::set<std::string>> m_keys;
    std::string m_pending_key;
};

}  // namespace

DocNode read_json(const std::string& text)
{
    Builder builder;
    nlohmann::json::sax_parse(text, &builder);
    return std::move(builder.root);
}

}  // namespace usersctl
