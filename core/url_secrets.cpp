#include "core/url_secrets.hpp"

#include "core/database.hpp"
#include "core/database_url.hpp"
#include "core/errors.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <vector>

namespace usersctl {

namespace {

bool is_secret_keyword(const std::string& key)
{
    return key == "password" || key == "sslpassword";
}

// libpq's percent-decoding of a URI part; nullopt where libpq refuses the token.
std::optional<std::string> uri_decode(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
        i += 2;
    }
    return out;
}

// A stretch of the URL text that spells a secret (percent-encoded, quoted or escaped as it may
// be): [begin, end).
struct Span {
    std::size_t begin;
    std::size_t end;
};

// Where libpq's URI parser (conninfo_uri_parse_options) finds password values in `url`: the
// user-info password, up to the first '@' before any '/', and every query parameter whose
// percent-decoded key is password or sslpassword. False when libpq would not parse it so.
bool uri_secret_spans(const std::string& url, std::vector<Span>& spans)
{
    const std::size_t start = url.find("://") + 3;
    std::size_t host_start = start;
    const auto designator = url.find_first_of("@/", start);
    if (designator != std::string::npos && url[designator] == '@') {
        const auto colon = url.find(':', start);
        if (colon != std::string::npos && colon < designator) {
            spans.push_back({colon + 1, designator});
        }
        host_start = designator + 1;
    }
    const auto query = url.find('?', host_start);
    if (query == std::string::npos) {
        return true;
    }
    std::size_t pos = query + 1;
    while (pos <= url.size()) {
        const auto amp = std::min(url.find('&', pos), url.size());
        const std::string param = url.substr(pos, amp - pos);
        const auto eq = param.find('=');
        if (eq == std::string::npos || param.find('=', eq + 1) != std::string::npos) {
            return false;
        }
        const auto key = uri_decode(param.substr(0, eq));
        if (!key) {
            return false;
        }
        if (is_secret_keyword(*key)) {
            spans.push_back({pos + eq + 1, amp});
        }
        pos = amp + 1;
    }
    return true;
}

// The same for libpq's key=value parser (conninfo_parse): a value is single-quoted or bare,
// and a backslash escapes the next character in both. False when libpq would not parse it.
bool keyword_value_secret_spans(const std::string& text, std::vector<Span>& spans)
{
    const std::size_t n = text.size();
    auto space = [&](std::size_t i) { return std::isspace(static_cast<unsigned char>(text[i])) != 0; };
    auto skip_space = [&](std::size_t& i) {
        while (i < n && space(i)) {
            ++i;
        }
    };
    std::size_t i = 0;
    while (true) {
        skip_space(i);
        if (i == n) {
            return true;
        }
        const std::size_t key_start = i;
        while (i < n && text[i] != '=' && !space(i)) {
            ++i;
        }
        const std::string key = text.substr(key_start, i - key_start);
        skip_space(i);
        if (i == n || text[i] != '=') {
            return false;
        }
        ++i;
        skip_space(i);
        const std::size_t value_start = i;
        if (i < n && text[i] == '\'') {
            ++i;
            while (i < n && text[i] != '\'') {
                i += text[i] == '\\' ? 2 : 1;
            }
            if (i >= n) {
                return false;
            }
            ++i;
        } else {
            while (i < n && !space(i)) {
                i += text[i] == '\\' ? 2 : 1;
            }
            i = std::min(i, n);
        }
        if (is_secret_keyword(key)) {
            spans.push_back({value_start, i});
        }
    }
}

std::string percent_encode_all(const std::string& value, const char* digits)
{
    std::string out;
    for (const char c : value) {
        const auto b = static_cast<unsigned char>(c);
        out += '%';
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

std::string escape_conninfo(const std::string& value)
{
    std::string out;
    for (const char c : value) {
        if (c == '\'' || c == '\\' || std::isspace(static_cast<unsigned char>(c)) != 0) {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    return out;
}

std::string drop_driver(const std::string& url)
{
    const std::optional<UrlSchemePrefix> prefix = url_scheme_prefix(url);
    if (prefix && prefix->has_driver) {
        return prefix->scheme + "://" + url.substr(prefix->length);
    }
    return url;
}

// The secrets of a database URL, found as libpq finds them: the values PQconninfoParse gives
// for password and sslpassword on the final string, and the stretches of the text that spell
// them.
struct UrlSecrets {
    bool parsed = false;             ///< false: libpq cannot parse it; no part of it may be shown
    std::vector<Span> spans;         ///< in the URL as given
    std::vector<std::string> forms;  ///< every spelling to hide in other text, longest first
};

UrlSecrets find_secrets(const std::string& url)
{
    UrlSecrets out;
    if (url.find('\0') != std::string::npos) {
        return out;
    }
    const std::string final_url = drop_driver(url);
    // The secret values as libpq reads them (it percent-decodes a URI, unquotes key=value).
    std::vector<std::string> secret_values;
    const bool parsed = parse_conninfo(final_url, [&secret_values](const char* keyword, const char* value) {
        if (value != nullptr && *value != '\0' && is_secret_keyword(keyword)) {
            secret_values.emplace_back(value);
        }
    });
    if (!parsed) {
        return out;
    }
    const bool uri = final_url.rfind("postgresql://", 0) == 0 || final_url.rfind("postgres://", 0) == 0;
    if (!(uri ? uri_secret_spans(url, out.spans) : keyword_value_secret_spans(url, out.spans))) {
        return out;
    }
    for (const auto& span : out.spans) {
        if (span.end > span.begin) {
            out.forms.push_back(url.substr(span.begin, span.end - span.begin));
        }
    }
    for (const std::string& value : secret_values) {
        out.forms.push_back(value);
        out.forms.push_back(escape_conninfo(value));
        out.forms.push_back(percent_encode_all(value, "0123456789ABCDEF"));
        out.forms.push_back(percent_encode_all(value, "0123456789abcdef"));
    }
    std::sort(out.forms.begin(), out.forms.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    out.forms.erase(std::unique(out.forms.begin(), out.forms.end()), out.forms.end());
    out.parsed = true;
    return out;
}

std::string hide_forms(std::string text, const std::vector<std::string>& forms)
{
    for (const auto& form : forms) {
        for (auto pos = text.find(form); pos != std::string::npos; pos = text.find(form, pos + 3)) {
            text.replace(pos, form.size(), "***");
        }
    }
    return text;
}

// libpq quotes what it could not parse, often the whole URL: every quoted part is hidden but a
// single punctuation character (the "=" of 'missing "=" after ...'). A quoted token may itself
// hold quotes (libpq does not escape them), so the first quoted part that is not such a sign is
// hidden through the message's last quote, not to the next one.
std::string hide_quoted(const std::string& text)
{
    const std::size_t last = text.rfind('"');
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find('"', pos);
        if (open == std::string::npos) {
            out.append(text, pos, std::string::npos);
            break;
        }
        out.append(text, pos, open + 1 - pos);
        const std::size_t close = text.find('"', open + 1);
        if (close == std::string::npos) {
            out += "***";  // never closed: the rest may be the URL
            break;
        }
        const std::string quoted = text.substr(open + 1, close - open - 1);
        if (quoted.size() == 1 && std::ispunct(static_cast<unsigned char>(quoted[0])) != 0) {
            out += quoted + "\"";
            pos = close + 1;
            continue;
        }
        out += "***\"";
        pos = last + 1;
    }
    return out;
}

}  // namespace

std::string redact_secrets(std::string text, const std::string& url)
{
    const UrlSecrets secrets = find_secrets(url);
    if (!secrets.parsed) {
        // Where its secrets are is unknown: the URL is hidden whole, and so is whatever the
        // message quotes.
        return hide_quoted(url.empty() ? text : hide_forms(text, {url}));
    }
    return hide_forms(std::move(text), secrets.forms);
}

std::string redact_url(const std::string& url)
{
    const UrlSecrets secrets = find_secrets(url);
    if (!secrets.parsed) {
        return k_unparsed_url_note;
    }
    // The stretches libpq reads as secrets are cut out by position (whatever their spelling),
    // then any other spelling of a secret left in the text.
    std::vector<Span> spans = secrets.spans;
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin > b.begin; });
    std::string out = url;
    for (const auto& span : spans) {
        if (span.end > span.begin) {
            out.replace(span.begin, span.end - span.begin, "***");
        }
    }
    return hide_forms(out, secrets.forms);
}

bool url_holds_password(const std::string& url)
{
    if (url.find('\0') != std::string::npos) {
        return true;
    }
    std::string normalised;
    try {
        normalised = normalise_url(url);
    } catch (const ConfigError&) {
        return true;
    }
    bool secret = false;
    const bool parsed = parse_conninfo(normalised, [&secret](const char* keyword, const char* value) {
        secret = secret || (is_secret_keyword(keyword) && value != nullptr && value[0] != '\0');
    });
    return !parsed || secret;
}

}  // namespace usersctl
