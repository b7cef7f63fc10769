#include "core/openssl_backend.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <vector>

namespace usersctl {

namespace {

const EVP_MD* digest_by_name(std::string_view name)
{
    if (name == "sha1") { return EVP_sha1(); }
    if (name == "sha224") { return EVP_sha224(); }
    if (name == "sha256") { return EVP_sha256(); }
    if (name == "sha384") { return EVP_sha384(); }
    if (name == "sha512") { return EVP_sha512(); }
    return nullptr;
}

std::string to_hex_and_wipe(std::vector<unsigned char>& bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    wipe(bytes.data(), bytes.size());
    return out;
}

}  // namespace

std::optional<std::size_t> digest_size(std::string_view digest_name)
{
    const EVP_MD* md = digest_by_name(digest_name);
    if (md == nullptr) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(EVP_MD_get_size(md));
}

std::string pbkdf2_hex(std::string_view digest_name, std::string_view password, std::string_view salt,
                       std::uint64_t iterations)
{
    const EVP_MD* md = digest_by_name(digest_name);
    if (md == nullptr || iterations == 0 || iterations > static_cast<std::uint64_t>(INT32_MAX)) {
        throw InternalError("pbkdf2: unsupported parameters");
    }
    std::vector<unsigned char> key(static_cast<std::size_t>(EVP_MD_get_size(md)));
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                          static_cast<int>(iterations), md, static_cast<int>(key.size()), key.data()) != 1) {
        throw InternalError("pbkdf2: OpenSSL failed");
    }
    return to_hex_and_wipe(key);
}

std::string scrypt_hex(std::string_view password, std::string_view salt, std::uint64_t n, std::uint64_t r,
                       std::uint64_t p)
{
    std::vector<unsigned char> key(64);
    // OpenSSL refuses anything above 32 MiB unless maxmem is raised; werkzeug allows 132*N*r*p.
    const std::uint64_t maxmem = 132 * n * r * p + 1024 * 1024;
    if (EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                       salt.size(), n, r, p, maxmem, key.data(), key.size()) != 1) {
        throw InternalError("scrypt: OpenSSL refused the parameters");
    }
    return to_hex_and_wipe(key);
}

std::string openssl_version()
{
    return OpenSSL_version(OPENSSL_VERSION);
}

}  // namespace usersctl
