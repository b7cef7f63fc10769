// The only yaml-cpp user: YAML text into a DocNode. yaml-cpp's event interface is used, not its
// node tree, which took 7 s and 500 MiB for 100,000 accounts (bench/README.md); and yaml-cpp
// keeps the last of repeated keys without a word, so repetitions are found here.

#include "core/apply/document.hpp"

#include "core/errors.hpp"

#include <map>
#include <set>
#include <streambuf>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace usersctl {

namespace {

// Aliases repeat a node wherever they appear, so a small file can expand exponentially (the
// "billion laughs"): the expansion is bounded, far above what 100,000 accounts need.
constexpr std::size_t k_max_nodes = 20'000'000;
constexpr std::size_t k_max_depth = 64;

std::string where(const YAML::Mark& mark)
{
    if (mark.is_null()) {
        return "in the YAML";
    }
    return "at line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

std::size_t count_nodes(const DocNode& node)
{
    std::size_t n = 1;
    for (const auto& item : node.items) {
        n += count_nodes(item);
    }
    for (const auto& entry : node.entries) {
        n += count_nodes(entry.second);
    }
    return n;
}

// The text as a stream without copying it (the parser only reads).
class TextBuffer : public std::streambuf {
public:
    explicit TextBuffer(const std::string& text)
    {
        char* begin = const_cast<char*>(text.data());
        setg(begin, begin, begin + text.size());
    }
};

class Builder : public YAML::EventHandler {
public:
    DocNode root;

    void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { deliver(DocNode{}, mark, anchor); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override
    {
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) {
            throw InvalidInput("an alias to an unknown anchor " + where(mark));
        }
        add_nodes(count_nodes(it->second), mark);
        deliver(DocNode(it->second), mark, 0);
    }
    void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  const std::string& value) override
    {
        DocNode node;
        node.kind = DocNode::Kind::string;
        node.text = value;
        deliver(std::move(node), mark, anchor);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value /*style*/) override
    {
        open(DocNode::Kind::sequence, mark, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value /*style*/) override
    {
        open(DocNode::Kind::mapping, mark, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        DocNode node;
        YAML::Mark mark;
        YAML::anchor_t anchor = 0;
        bool have_key = false;
        std::string key;
        std::set<std::string> keys;
    };

    void add_nodes(std::size_t n, const YAML::Mark& mark)
    {
        m_nodes += n;
        if (m_nodes > k_max_nodes) {
            throw InvalidInput("the YAML expands to more than " + std::to_string(k_max_nodes) + " nodes " + where(mark) +
                               " (aliases repeating aliases?)");
        }
    }

    void open(DocNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor)
    {
        if (m_stack.size() >= k_max_depth) {
            throw InvalidInput("the YAML nests deeper than " + std::to_string(k_max_depth) + " levels " + where(mark));
        }
        if (!m_stack.empty() && m_stack.back().node.kind == DocNode::Kind::mapping && !m_stack.back().have_key) {
            throw InvalidInput("a key that is not a string " + where(mark));
        }
        Frame frame;
        frame.node.kind = kind;
        frame.mark = mark;
        frame.anchor = anchor;
        m_stack.push_back(std::move(frame));
    }

    void close()
    {
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        deliver_counted(std::move(frame.node), frame.mark, frame.anchor);
    }

    void deliver(DocNode&& node, const YAML::Mark& mark, YAML::anchor_t anchor)
    {
        add_nodes(1, mark);
        deliver_counted(std::move(node), mark, anchor);
    }

    void deliver_counted(DocNode&& node, const YAML::Mark& mark, YAML::anchor_t anchor)
    {
        if (anchor != 0) {
            m_anchors[anchor] = node;
        }
        if (m_stack.empty()) {
            root = std::move(node);
            return;
        }
        Frame& parent = m_stack.back();
        if (parent.node.kind == DocNode::Kind::sequence) {
            parent.node.items.push_back(std::move(node));
            return;
        }
        if (!parent.have_key) {
            if (node.kind != DocNode::Kind::string) {
                throw InvalidInput("a key that is not a string " + where(mark));
            }
            if (!parent.keys.insert(node.text).second) {
                // Not quoted back: a mistyped line may have put a value where a key belongs.
                throw InvalidInput("a key appears twice in one mapping " + where(mark), "give each key once");
            }
            parent.key = std::move(node.text);
            parent.have_key = true;
            return;
        }
        parent.node.entries.emplace_back(std::move(parent.key), std::move(node));
        parent.key.clear();
        parent.have_key = false;
    }

    std::vector<Frame> m_stack;
    std::map<YAML::anchor_t, DocNode> m_anchors;
    std::size_t m_nodes = 0;
};

}  // namespace

DocNode read_yaml(const std::string& text)
{
    TextBuffer buffer(text);
    std::istream in(&buffer);
    Builder builder;
    try {
        YAML::Parser parser(in);
        parser.HandleNextDocument(builder);
    } catch (const YAML::Exception& e) {
        // e.msg is one of yaml-cpp's fixed texts; e.what() would add nothing but the mark.
        throw InvalidInput("YAML syntax error " + where(e.mark) + ": " + e.msg);
    }
    return std::move(builder.root);
}

}  // namespace usersctl
