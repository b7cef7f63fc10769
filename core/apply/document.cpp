#include "core/apply/document.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"

namespace usersctl {

namespace {

bool ends_with(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

DocFormat parse_doc_format(const std::string& name)
{
    if (name == "yaml") {
        return DocFormat::yaml;
    }
    if (name == "json") {
        return DocFormat::json;
    }
    throw UsageError("unknown format '" + name + "'", "choose yaml or json");
}

DocFormat guess_doc_format(const std::string& path, const std::string& text)
{
    if (ends_with(path, ".json")) {
        return DocFormat::json;
    }
    if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
        return DocFormat::yaml;
    }
    // JSON is YAML too, nearly: but yaml-cpp would accept what JSON refuses, and its messages
    // would be about YAML, so a file that looks like JSON is read as JSON.
    std::size_t i = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        i = 3;
    }
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
        ++i;
    }
    return i < text.size() && text[i] == '{' ? DocFormat::json : DocFormat::yaml;
}

void wipe_document(DocNode& node) noexcept
{
    wipe(node.text);
    for (auto& item : node.items) {
        wipe_document(item);
    }
    for (auto& entry : node.entries) {
        wipe(entry.first);
        wipe_document(entry.second);
    }
    node.items.clear();
    node.entries.clear();
}

}  // namespace usersctl
