package dev.softswitch.config;

import java.util.Objects;

/**
 * A PBX or phone that registers with the softswitch ({@code pbx_users[]}) and whose calls one assistant answers.
 *
 * @param username the digest username it registers and calls with
 * @param password its digest password; prints as {@code ***}
 * @param assistant the id of the assistant that answers its calls
 */
public record PbxUserConfig(String username, Secret password, String assistant) {

    public PbxUserConfig {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(assistant, "assistant");
    }
}
