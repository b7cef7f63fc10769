#pragma once
// The declaration file as a tree that does not depend on its syntax: yaml_reader.cpp and
// json_reader.cpp each build one, so the checks (declaration.cpp) are written once.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace usersctl {

/// A node of the declaration file.
struct DocNode {
    enum class Kind { null, string, other_scalar, sequence, mapping };

    Kind kind = Kind::null;
    std::string text;                                   ///< a string's value (wiped with the document)
    std::vector<DocNode> items;                         ///< a sequence's items
    std::vector<std::pair<std::string, DocNode>> entries;  ///< a mapping's entries, in file order
};

/// The syntaxes a declaration file may be written in.
enum class DocFormat { yaml, json };

/// Parses "yaml" or "json"; throws UsageError otherwise.
DocFormat parse_doc_format(const std::string& name);

/// The format for a file name by its extension (.yaml, .yml, .json); for anything else, or
/// "-", the first byte of `text` that is not blank decides ('{' is JSON, else YAML).
DocFormat guess_doc_format(const std::string& path, const std::string& text);

/// Parses YAML text into a document. A syntax error, a repeated key in a mapping or a key that
/// is not a string is InvalidInput naming the line and column, never quoting the text.
DocNode read_yaml(const std::string& text);

/// Parses JSON text into a document. A syntax error or a repeated key is InvalidInput naming the
/// byte offset, never quoting the text.
DocNode read_json(const std::string& text);

/// Wipes every string in the document (password hashes, file names) and empties it.
void wipe_document(DocNode& node) noexcept;

}  // namespace usersctl
