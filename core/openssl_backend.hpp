#pragma once
// The only file that talks to OpenSSL: the key derivation functions of werkzeug's formats.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl {

/// Output size in bytes of a digest werkzeug's pbkdf2 may name (sha1 ... sha512); nullopt if unknown.
std::optional<std::size_t> digest_size(std::string_view digest_name);

/// PBKDF2-HMAC-<digest> of password and salt, digest-size bytes, as lowercase hex.
std::string pbkdf2_hex(std::string_view digest_name, std::string_view password, std::string_view salt,
                       std::uint64_t iterations);

/// scrypt(password, salt, N, r, p) with a 64-byte output, as lowercase hex.
std::string scrypt_hex(std::string_view password, std::string_view salt, std::uint64_t n, std::uint64_t r,
                       std::uint64_t p);

/// The OpenSSL library this process runs with, as it names itself ("OpenSSL 3.0.17 1 Jul 2025").
std::string openssl_version();

}  // namespace usersctl
